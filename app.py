"""Entry point: every page with the permission it needs and the returns that feed it, sign-in and the navigation."""

import ui

# section -> (script, title, icon, permission needed, returns that feed it). A partner's own staff see a page only
# when their partner makes one of those returns (None: every partner has figures there). The first is the default.
PAGES = {
    "Review": [
        ("pages/overview.py", "Overview", ":material/dashboard:", "view_figures", None),
        ("pages/concerns.py", "Concerns and enquiries", ":material/monitoring:", "view_figures", ("activity",)),
        ("pages/demographics.py", "Demographics", ":material/groups:", "view_figures", ("activity",)),
        ("pages/outcomes.py", "MSP and risk outcomes", ":material/verified_user:", "view_figures", ("activity",)),
        ("pages/audits.py", "Audits", ":material/fact_check:", "view_figures", None),  # audits grade every agency
        ("pages/downloads.py", "Downloads", ":material/download:", "view_figures", None),
    ],
    "Board": [
        ("pages/partner_view.py", "Partner view", ":material/handshake:", "view_figures", None),
        ("pages/challenges.py", "Challenge log", ":material/gavel:", "view_challenges", None),
        ("pages/actions.py", "SAR and audit actions", ":material/checklist:", "view_actions", None),
        ("pages/board_pack.py", "Board pack", ":material/picture_as_pdf:", "board_packs", None),
    ],
    "Returns": [
        ("pages/upload.py", "Upload a return", ":material/upload_file:", "upload_returns", None),
        ("pages/submissions.py", "Submissions", ":material/inbox:", "view_returns", None),
    ],
    "Admin": [
        ("pages/admin_partners.py", "Partners", ":material/domain:", "manage_partners", None),
        ("pages/admin_periods.py", "Periods and due dates", ":material/event:", "manage_periods", None),
        ("pages/admin_targets.py", "Framework targets", ":material/target:", "manage_targets", None),
        ("pages/admin_baseline.py", "Population baseline", ":material/diversity_3:", "manage_baseline", None),
        ("pages/admin_users.py", "Users", ":material/group:", "manage_users", None),
        ("pages/admin_audit.py", "Audit trail", ":material/policy:", "view_audit", None),
    ],
}

ui.run_app(PAGES)
