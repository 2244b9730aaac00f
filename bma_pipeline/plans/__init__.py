"""Action plans as input: the catalogue (policies, projects, KPIs, H/R, targets) comes from
plan workbooks that SED and the lead units send, judged, versioned and put in force."""
