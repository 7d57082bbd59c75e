"""Board meeting tools: challenges to partners, SAR and audit actions, commentary, the board pack."""
