"""SQLAlchemy 2.0 typed models: reference entities, submissions and the facts the returns carry.

Codelist values are stored as their exact national labels (see data/codelists.toml).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Label = String(120)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Partner(Base):
    __tablename__ = "partners"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(40))
    returns: Mapped[str] = mapped_column(String(100), default="")  # comma-separated return types
    active: Mapped[bool] = mapped_column(default=True)


class ReportingPeriod(Base):
    __tablename__ = "periods"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    label: Mapped[str] = mapped_column(String(12), unique=True)  # "2025-26 Q1"
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    due_date: Mapped[date] = mapped_column(Date)


class StoredFile(Base):
    """Original uploaded files, addressed by their SHA-256; never changed once written."""

    __tablename__ = "stored_files"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    stored_at: Mapped[datetime] = mapped_column(DateTime)


class Submission(Base):
    """One upload of one return: an immutable record of who, when, which file and the outcome."""

    __tablename__ = "submissions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"))
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id"))
    return_type: Mapped[str] = mapped_column(String(20))  # activity / assurance / audit
    file_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    submitted_by: Mapped[str] = mapped_column(String(120))
    submitted_at: Mapped[datetime] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(12))  # accepted / rejected / superseded
    source: Mapped[str] = mapped_column(String(12), default="upload")  # upload / cli / demo
    template_version: Mapped[str | None] = mapped_column(String(20))
    row_count: Mapped[int] = mapped_column(Integer, default=0)
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    query_count: Mapped[int] = mapped_column(Integer, default=0)
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"))
    superseded_at: Mapped[datetime | None] = mapped_column(DateTime)

    partner: Mapped[Partner] = relationship()
    period: Mapped[ReportingPeriod] = relationship()
    issues: Mapped[list[ValidationIssue]] = relationship(back_populates="submission")

    __table_args__ = (
        Index("ix_submissions_lookup", "period_id", "partner_id", "return_type", "status"),
        Index("uq_submissions_one_accepted", "partner_id", "period_id", "return_type", unique=True,
              sqlite_where=text("status = 'accepted'"), postgresql_where=text("status = 'accepted'")),
    )


class ValidationIssue(Base):
    __tablename__ = "validation_issues"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    severity: Mapped[str] = mapped_column(String(8))  # error / query
    rule: Mapped[str] = mapped_column(String(40))
    sheet: Mapped[str | None] = mapped_column(String(60))
    row: Mapped[int | None] = mapped_column(Integer)  # Excel row number as the user sees it
    column: Mapped[str | None] = mapped_column(String(8))  # Excel column letter
    field: Mapped[str | None] = mapped_column(String(80))
    value: Mapped[str | None] = mapped_column(Text)
    message: Mapped[str] = mapped_column(Text)
    suggestion: Mapped[str | None] = mapped_column(Text)

    submission: Mapped[Submission] = relationship(back_populates="issues")


class Concern(Base):
    """One safeguarding concern received in the period (activity return, sheet Concerns)."""

    __tablename__ = "concerns"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"))
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"))
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id"))
    concern_ref: Mapped[str] = mapped_column(String(60))
    person_id: Mapped[str] = mapped_column(String(60))  # pseudonymised
    date_received: Mapped[date] = mapped_column(Date)
    decision_date: Mapped[date | None] = mapped_column(Date)
    referral_source: Mapped[str | None] = mapped_column(Label)
    age_band: Mapped[str] = mapped_column(String(12))
    gender: Mapped[str] = mapped_column(String(12))
    ethnicity_detailed: Mapped[str | None] = mapped_column(Label)
    ethnicity_broad: Mapped[str] = mapped_column(Label)
    primary_support_reason: Mapped[str | None] = mapped_column(Label)
    outcome: Mapped[str] = mapped_column(String(24))  # Section 42 enquiry / Other enquiry / No enquiry

    __table_args__ = (
        Index("ix_concerns_period_partner", "period_id", "partner_id"),
        Index("ix_concerns_submission", "submission_id"),
        Index("ix_concerns_person", "partner_id", "person_id", "date_received"),
        Index("ix_concerns_ref", "partner_id", "concern_ref"),
    )


class Enquiry(Base):
    """One enquiry concluded in the period (activity return, sheet Enquiries)."""

    __tablename__ = "enquiries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"))
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"))
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id"))
    enquiry_ref: Mapped[str] = mapped_column(String(60))
    concern_ref: Mapped[str] = mapped_column(String(60))
    person_id: Mapped[str] = mapped_column(String(60))
    enquiry_type: Mapped[str] = mapped_column(String(12))  # Section 42 / Other
    date_started: Mapped[date] = mapped_column(Date)
    date_concluded: Mapped[date] = mapped_column(Date)
    risk_assessment_outcome: Mapped[str | None] = mapped_column(Label)
    risk_outcome: Mapped[str | None] = mapped_column(Label)
    lacked_capacity: Mapped[str | None] = mapped_column(Label)
    capacity_support: Mapped[str | None] = mapped_column(String(4))
    msp_asked: Mapped[str | None] = mapped_column(Label)
    msp_achieved: Mapped[str | None] = mapped_column(Label)
    felt_safer: Mapped[str | None] = mapped_column(String(12))

    __table_args__ = (
        Index("ix_enquiries_period_partner", "period_id", "partner_id"),
        Index("ix_enquiries_submission", "submission_id"),
        Index("ix_enquiries_concern", "partner_id", "concern_ref"),
        Index("ix_enquiries_person", "partner_id", "person_id"),
    )


class EnquiryRisk(Base):
    """A type, location or source of risk recorded for an enquiry (one row per category)."""

    __tablename__ = "enquiry_risks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enquiry_id: Mapped[int] = mapped_column(ForeignKey("enquiries.id", ondelete="CASCADE"))
    dimension: Mapped[str] = mapped_column(String(10))  # type / location / source
    category: Mapped[str] = mapped_column(Label)

    __table_args__ = (
        Index("ix_enquiry_risks_enquiry", "enquiry_id", "dimension"),
        UniqueConstraint("enquiry_id", "dimension", "category", name="uq_enquiry_risks_item"),
    )


class AssuranceMeasure(Base):
    """A partner's figure for one framework measure (partner assurance return)."""

    __tablename__ = "assurance_measures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"))
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id"))
    measure_code: Mapped[str] = mapped_column(String(40))
    numerator: Mapped[int | None] = mapped_column(BigInteger)
    denominator: Mapped[int | None] = mapped_column(BigInteger)
    commentary: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_assurance_period_partner", "period_id", "partner_id", "measure_code"),)


class AuditResult(Base):
    """One agency's part in one multi-agency case audit (audit return)."""

    __tablename__ = "audit_results"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"))  # who submitted (the audit group)
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id"))
    audit_ref: Mapped[str] = mapped_column(String(60))
    case_ref: Mapped[str] = mapped_column(String(60))
    audit_date: Mapped[date] = mapped_column(Date)
    theme: Mapped[str | None] = mapped_column(String(120))
    agency: Mapped[str] = mapped_column(String(200))
    agency_partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id"))
    grade_msp: Mapped[str | None] = mapped_column(String(24))
    grade_risk: Mapped[str | None] = mapped_column(String(24))
    grade_capacity: Mapped[str | None] = mapped_column(String(24))
    grade_partnership: Mapped[str | None] = mapped_column(String(24))
    grade_recording: Mapped[str | None] = mapped_column(String(24))
    grade_outcome: Mapped[str | None] = mapped_column(String(24))
    overall_grade: Mapped[str] = mapped_column(String(24))
    findings: Mapped[str | None] = mapped_column(Text)
    action_required: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_audit_period_agency", "period_id", "agency_partner_id"),)


FACT_TABLES = (EnquiryRisk, Enquiry, Concern, AssuranceMeasure, AuditResult)


class CalendarDay(Base):
    """Every day with its working-day index, so SQL can count England working days between two dates."""

    __tablename__ = "calendar_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    is_working_day: Mapped[bool]
    working_day_index: Mapped[int] = mapped_column(Integer)


class Challenge(Base):
    """A question the Board puts to a partner, with the evidence as it stood when raised."""

    __tablename__ = "challenges"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    question: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(20))  # measure / partner view / audit finding
    measure: Mapped[str | None] = mapped_column(String(60))
    period_label: Mapped[str | None] = mapped_column(String(12))
    evidence_value: Mapped[float | None]
    evidence_numerator: Mapped[int | None] = mapped_column(BigInteger)
    evidence_denominator: Mapped[int | None] = mapped_column(BigInteger)
    evidence_unit: Mapped[str | None] = mapped_column(String(20))
    evidence_rag: Mapped[str | None] = mapped_column(String(8))
    evidence_note: Mapped[str | None] = mapped_column(Text)
    raised_by: Mapped[str] = mapped_column(String(120))
    raised_at: Mapped[datetime] = mapped_column(DateTime)
    meeting_date: Mapped[date | None] = mapped_column(Date)
    due_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12))  # open / responded / closed
    outcome: Mapped[str | None] = mapped_column(String(12))  # assured / escalated (when closed)
    response: Mapped[str | None] = mapped_column(Text)
    responded_by: Mapped[str | None] = mapped_column(String(120))
    responded_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_by: Mapped[str | None] = mapped_column(String(120))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)

    __table_args__ = (Index("ix_challenges_status", "status", "due_date"),)


class ChallengeEvent(Base):
    """Every change to a challenge, in order (never edited)."""

    __tablename__ = "challenge_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(20))  # raised / responded / closed / reopened / due date changed
    from_status: Mapped[str | None] = mapped_column(String(12))
    to_status: Mapped[str] = mapped_column(String(12))
    note: Mapped[str | None] = mapped_column(Text)


class SarReview(Base):
    """A Safeguarding Adults Review whose recommendations the Board tracks."""

    __tablename__ = "sar_reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(60), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    published: Mapped[date | None] = mapped_column(Date)


class BoardAction(Base):
    """An action the Board tracks: from a SAR recommendation or from a multi-agency audit."""

    __tablename__ = "board_actions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(8))  # SAR / Audit
    review_id: Mapped[int | None] = mapped_column(ForeignKey("sar_reviews.id"), index=True)
    recommendation_no: Mapped[str | None] = mapped_column(String(20))
    recommendation: Mapped[str | None] = mapped_column(Text)
    audit_ref: Mapped[str | None] = mapped_column(String(60))
    audit_result_id: Mapped[int | None] = mapped_column(ForeignKey("audit_results.id"), unique=True)
    action: Mapped[str] = mapped_column(Text)
    owner_partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id"), index=True)
    owner: Mapped[str] = mapped_column(String(200))
    due_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))  # Not started / In progress / Completed
    completed_date: Mapped[date | None] = mapped_column(Date)
    progress: Mapped[str | None] = mapped_column(Text)
    evidence: Mapped[str | None] = mapped_column(Text)
    updated_by: Mapped[str] = mapped_column(String(120))
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class Commentary(Base):
    """The QA subgroup's note on a measure for a period ("why this changed")."""

    __tablename__ = "commentary"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    measure: Mapped[str] = mapped_column(String(60))
    period_label: Mapped[str] = mapped_column(String(12))
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id"))
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(120))
    written_at: Mapped[datetime] = mapped_column(DateTime)
    # the figure as it stood when the commentary was written (a resubmission may change it later)
    figure_value: Mapped[float | None] = mapped_column(Float)
    figure_numerator: Mapped[int | None] = mapped_column(BigInteger)
    figure_denominator: Mapped[int | None] = mapped_column(BigInteger)

    __table_args__ = (Index("ix_commentary_lookup", "period_label", "measure"),)


class IssuedPack(Base):
    """A board pack as the chair issued it: kept unchanged (database triggers refuse UPDATE and DELETE)."""

    __tablename__ = "issued_packs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period_label: Mapped[str] = mapped_column(String(12), index=True)
    issued_at: Mapped[datetime] = mapped_column(DateTime)
    issued_by: Mapped[str] = mapped_column(String(120))
    file_name: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(100))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    publication_mode: Mapped[bool] = mapped_column(Boolean)
    figures: Mapped[str] = mapped_column(Text)  # JSON: the figures the pack holds


class SpcRecalculation(Base):
    """A known change in process: a measure's SPC limits are computed afresh from this quarter."""

    __tablename__ = "spc_recalculations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    measure: Mapped[str] = mapped_column(String(60), index=True)
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id"))  # None: the whole Board
    period_label: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(120))
    recorded_at: Mapped[datetime] = mapped_column(DateTime)


class QuarterlyFigure(Base):
    """Quarter-by-partner numerator and denominator of each measure over the large fact tables.

    Derived data, rebuilt in the same transaction as every load that changes the facts
    (assurance.measures.figures.refresh_figures), so dashboards never scan a million rows.
    """

    __tablename__ = "quarterly_figures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id"))
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"))
    definition: Mapped[str] = mapped_column(String(60))
    numerator: Mapped[int] = mapped_column(BigInteger)
    denominator: Mapped[int | None] = mapped_column(BigInteger)

    __table_args__ = (UniqueConstraint("period_id", "partner_id", "definition", name="uq_quarterly_figures_key"),)


class User(Base):
    """Someone who may sign in: a local account (password hash) or an OpenID Connect user matched by e-mail."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254), unique=True)  # stored lower-case
    role: Mapped[str] = mapped_column(String(20))
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id"), index=True)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    last_sign_in: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(120))


class WebSession(Base):
    """A browser sign-in. The browser holds a signed HttpOnly cookie naming it; sign-out or idle time ends it."""

    __tablename__ = "web_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 of the token in the cookie
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    username: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)
    address: Mapped[str] = mapped_column(String(64))


class FigureBuild(Base):
    """The fingerprint of the definitions quarterly_figures was built from, per source table."""

    __tablename__ = "figure_builds"

    source: Mapped[str] = mapped_column(String(60), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    built_at: Mapped[datetime] = mapped_column(DateTime)


class AuditEvent(Base):
    """The audit trail: append-only (database triggers reject UPDATE, DELETE and REPLACE), each event chained
    to the one before by chain_hash (see assurance.access.audit)."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(60))
    target: Mapped[str | None] = mapped_column(String(200))
    details: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(10))  # app / cli
    address: Mapped[str] = mapped_column(String(64))  # client IP, "local" or "cli"
    chain_hash: Mapped[str] = mapped_column(String(64))  # sha256 of the previous event's hash and this event

    __table_args__ = (Index("ix_audit_events_actor_action", "actor", "action"),)
