"""The sources the rule catalog cites, one line each, as ``planner rules CODE`` prints them after ``Source:``.

Outside sources are the frameworks' own guides and the seed articles the
planner was specified from, named by title. A figure no outside source gives
is the planner's own default: :func:`planner_default` labels it so and says
why, and every such figure can be changed in a profile file's ``[limits]``.
"""

from __future__ import annotations

SCRUM_GUIDE = "The Scrum Guide 2020 (Schwaber and Sutherland), 'Scrum Team' and 'Product Owner'"
SCRUM_GUIDE_TEAM = "The Scrum Guide 2020, 'Scrum Team': typically 10 or fewer people"
NEXUS_GUIDE = "The Nexus Guide 2021 (Schwaber): 3 to 9 Scrum Teams, one Product Owner and one Product Backlog"
LESS_RULES = "LeSS rules (less.works): one Product Owner and one Product Backlog for a product of up to 8 teams"
SAFE_PO = "SAFe, 'Product Owner' (scaledagileframework.com): a PO serves one team, at most two"
SAFE_PM = (
    "SAFe, 'Product Management' and 'Agile Release Train' (scaledagileframework.com): product management holds "
    "the vision of a train of typically 5 to 12 teams, product owners their backlogs"
)
TEAM_TOPOLOGIES = "Team Topologies (Skelton and Pais, 2019), chapter 2: teams of 5 to 9, each asset owned by one team"
RACI = "PMBOK Guide, 5th edition, section 9.1.2.1: one accountable person per activity (RACI)"
SPAN_RESEARCH = (
    "McKinsey, 'How to identify the right spans of control for your organization' (2017), and Gallup's 2025 "
    "research on managers: no universal span, coaching thins out past about 10"
)
DUAL_HAT = (
    "Scrum Guide Expansion Pack (2025) and Roman Pichler (2016): one person holding both roles is workable in a "
    "young or small company"
)

SEED_CHECKLIST = (
    "Seed article 'Product Owner vs Product Manager: key differences', checklist 'Which Role Do You Need?': a "
    "product owner fits a single product or a small product line, a product manager several products"
)
SEED_REPORTING = (
    "Seed article 'Product Owner vs Product Manager: key differences', 'Typical Reporting': product owners to a "
    "project manager or development director, product managers to a VP of Product or the C-suite"
)
SEED_INDEED = "Seed article 'Product manager vs product owner: What are the differences?' (Indeed Editorial Team, 2022)"
SEED_DIFFERENCE = "Seed article 'The Product Manager vs. The Product Owner: What's the Difference?'"
SEED_STAKEHOLDERS = (
    "Seed article 'Product Owner vs Product Manager' (2020): product managers face external stakeholders, "
    "product owners internal ones; product owners usually report to product managers"
)
SEED_NOT_YOUR_PM = "Seed article 'Your Product Owner Is Not Your Product Manager'"


def planner_default(figure: str, reasoning: str, limit: str) -> str:
    """A source line for a figure of the planner's own, with the reasoning and the profile limit that sets it."""
    return f"Planner default, no outside source: {figure}. {reasoning} Set [limits] {limit} in a profile file."
