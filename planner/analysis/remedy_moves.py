"""The steps a staffing plan's remedies take: hire, give work to someone with room, keep one owner,
split a team, narrow a span, add or remove links.

A part of :class:`~planner.analysis.remedy.PlanContext`: each step reads and writes its ledger. No Qt here.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence

#: Seniority, to decide which line of a loop or an inversion is the wrong one.
from planner.analysis.remedy_base import SENIORITY, Draft, Edit, LedgerQueries, join_names, role_words
from planner.analysis.rule import Finding
from planner.model.duties import EXECUTION_DUTIES, STRATEGY_DUTIES
from planner.model.vocabulary import (
    ALIGNS_WITH,
    BUILDS,
    DEV_TEAM,
    ENGAGES,
    LEADER,
    NODE_LABELS,
    OWNS_BACKLOG,
    OWNS_STRATEGY,
    PRODUCT_MANAGER,
    PRODUCT_OWNER,
    REPORTS_TO,
    STAKEHOLDER_OF,
)


class StaffingMoves(LedgerQueries):
    """The steps that change the ledger through :class:`~planner.analysis.remedy.PlanContext`'s edits."""

    def _hire_headline(self, draft: Draft) -> str:
        text = f"Hire {role_words(draft.role or '', draft.count)}"
        return f"{text} (for {self.names(draft.items)})" if draft.items else text

    def _hand_over_headline(self, draft: Draft) -> str:
        items = self.names(draft.items)
        if draft.giver is None:
            return f"Give {items} to {self.who(draft.taker or '')}"
        return f"Hand {items} from {self.name(draft.giver)} to {self.who(draft.taker or '')}"

    # -- hires ---------------------------------------------------------------------------------------------------

    def _hire(self, role: str, serves: str) -> tuple[str, Draft]:
        """A new hire of ``role``; ``serves`` names what for, in the hire's card name."""
        draft = self.draft("hire", self._hire_headline, key=(role,), role=role, count=0)
        label = NODE_LABELS[role]
        node_id = self.new_node(draft, role, f"New {label.lower()} ({serves})")
        draft.count += 1
        draft.subjects.append(node_id)
        return node_id, draft

    def hire_vacancy(self, vacancy: str, clears: Sequence[Finding]) -> Draft:
        """Count a vacant role already on the chart as a hire of the plan."""
        role = self.kind(vacancy)
        draft = self.draft("hire", self._hire_headline, key=(role,), role=role, count=0)
        draft.count += 1
        owned = [*self.out(OWNS_BACKLOG, vacancy), *self.out(OWNS_STRATEGY, vacancy)]
        draft.items += [i for i in _for_items(self, owned) if i not in draft.items]
        draft.subjects.append(vacancy)
        draft.details.append(f"{self.name(vacancy)} is already on the chart as a vacancy: fill it.")
        self.update(draft, vacancy, vacant=False)
        draft.clear(clears)
        return draft

    # -- giving work to people with room -------------------------------------------------------------------------

    def _peers(self, person: str | None) -> list[str]:
        if person is None:
            return []
        around = list(self.into(REPORTS_TO, person))
        for manager in self.out(REPORTS_TO, person):
            around += self.into(REPORTS_TO, manager)
        return around

    def _pick(self, candidates: Iterable[str], role: str, fits: Callable[[str], bool], exclude: set[str]) -> str | None:
        best = None
        best_load = None
        for person in dict.fromkeys(candidates):
            if person in exclude or self.kind(person) != role or self.node(person).vacant or self.is_new(person):
                continue
            if self.out(OWNS_STRATEGY if role == PRODUCT_OWNER else OWNS_BACKLOG, person):
                continue  # a dual hat already: more work of either kind would make it worse
            if not fits(person):
                continue
            load = (len(self.out(OWNS_BACKLOG, person)) + len(self.out(OWNS_STRATEGY, person)), person)
            if best_load is None or load < best_load:
                best, best_load = person, load
        return best

    def backlog_taker(self, team: str, giver: str | None, together: Sequence[str] = ()) -> str | None:
        """A product owner with room for ``team`` (and the teams ``together`` with it): on the same product first,
        then in the same reporting line."""
        excluded = {giver} if giver else set()
        products = self.products_of(team)
        same_product = [o for p in products for t in self.teams_of(p) for o in self.backlog_owners(t)]
        wanted = list(dict.fromkeys([team, *together]))
        fits = lambda person: self.backlog_room(person, wanted)  # noqa: E731
        found = self._pick(same_product, PRODUCT_OWNER, fits, excluded)
        if found:
            return found
        line: list[str] = []
        for p in products:
            for strategist in self.strategists(p):
                line += self.into(REPORTS_TO, strategist)
                line += self.out(ALIGNS_WITH, strategist) + self.into(ALIGNS_WITH, strategist)
        for manager in self.out(REPORTS_TO, team):
            line += self.into(REPORTS_TO, manager)
            line.append(manager)
        line += self._peers(giver)
        return self._pick(line, PRODUCT_OWNER, fits, excluded)

    def strategy_taker(self, product: str, giver: str | None) -> str | None:
        """A product manager with room for ``product``: related through its teams first, then the giver's peers."""
        excluded = {giver} if giver else set()
        related: list[str] = []
        for team in self.teams_of(product):
            for other in self.products_of(team):
                related += self.strategists(other)
            for owner in self.backlog_owners(team):
                related += self.out(REPORTS_TO, owner) + self.out(ALIGNS_WITH, owner) + self.into(ALIGNS_WITH, owner)
        for stakeholder in self.into(STAKEHOLDER_OF, product):
            related += self.into(ENGAGES, stakeholder)
        fits = lambda person: self.strategy_room(person, [product])  # noqa: E731
        found = self._pick(related, PRODUCT_MANAGER, fits, excluded)
        if found:
            return found
        return self._pick(self._peers(giver), PRODUCT_MANAGER, fits, excluded)

    def _planned_hire(self, role: str, item: str, giver: str | None, fits: Callable[[str], bool]) -> str | None:
        """A hire this plan already makes that can take ``item`` too: one on the same product, or the same giver's."""
        if role == PRODUCT_OWNER:
            related = self.products_of(item)
        else:
            related = [p for t in self.teams_of(item) for p in self.products_of(t)]
        candidates = [h for p in related for h in self._hires_by_product.get(p, ())]
        if giver is not None:
            candidates += self._hires_by_giver.get(giver, ())
        for node_id in dict.fromkeys(candidates):
            if self.kind(node_id) == role and fits(node_id):
                return node_id
        return None

    def _note_hire(self, hire: str, item: str, giver: str | None) -> None:
        """Remember what a hire works on, so that related work goes to the same hire while it has room."""
        products = self.products_of(item) if self.kind(item) == DEV_TEAM else [item]
        for product in products:
            hires = self._hires_by_product.setdefault(product, [])
            if hire not in hires:
                hires.append(hire)
        if giver is not None:
            hires = self._hires_by_giver.setdefault(giver, [])
            if hire not in hires:
                hires.append(hire)

    def give_backlog(self, teams: Sequence[str], giver: str | None, clears: Sequence[Finding]) -> None:
        """Hand the teams' backlogs from ``giver`` (or from nobody) to product owners with room, else to hires.

        The teams of one product go to one person when someone has room for them all, so that the
        product keeps as few backlog owners as the limits allow.
        """
        groups: dict[tuple[str, ...], list[str]] = {}
        for team in teams:
            groups.setdefault(tuple(self.products_of(team)), []).append(team)
        for group in groups.values():
            while group:
                taker = self.backlog_taker(group[0], giver, together=group)
                if taker is not None:
                    self._give_teams(group, giver, taker)
                    group = []
                    continue
                fits = lambda p, g=tuple(group): self.backlog_room(p, g)  # noqa: E731
                taker = self._planned_hire(PRODUCT_OWNER, group[0], giver, fits)
                if taker is not None:
                    self._give_teams(group, giver, taker)
                    group = []
                    continue
                taker = self.backlog_taker(group[0], giver)
                if taker is None:
                    taker = self._planned_hire(
                        PRODUCT_OWNER, group[0], giver, lambda p, t=group[0]: self.backlog_room(p, [t])
                    )
                if taker is None:
                    serves = self.names(self.products_of(group[0])) or self.name(group[0])
                    taker, _ = self._hire(PRODUCT_OWNER, serves)
                    # A new hire takes as many of the group as the limits allow.
                    size = 1
                    while size < len(group) and self.backlog_room(taker, group[: size + 1]):
                        size += 1
                    self._give_teams(group[:size], giver, taker)
                    group = group[size:]
                else:
                    self._give_teams(group[:1], giver, taker)
                    group = group[1:]
        for draft in self._recent:
            draft.clear(clears)
        self._recent = []

    def _give_teams(self, teams: Sequence[str], giver: str | None, taker: str) -> None:
        if self.is_new(taker):
            draft = self.draft("hire", self._hire_headline, key=(PRODUCT_OWNER,), role=PRODUCT_OWNER, count=0)
        else:
            draft = self.draft(
                "hand_over", self._hand_over_headline, key=(giver, taker), giver=giver, taker=taker, count=0
            )
        for team in teams:
            if draft.kind == "hire":
                draft.items += [i for i in _for_items(self, [team]) if i not in draft.items]
                self._note_hire(taker, team, giver)
                draft.details.append(_moved_detail(self, team, giver, taker, "backlog"))
            else:
                draft.count += 1
                draft.items.append(team)
            self._move(draft, team, giver, taker, OWNS_BACKLOG)
            self._align_owner(draft, taker, self.products_of(team))
        if draft not in self._recent:
            self._recent.append(draft)

    def give_strategy(
        self, products: Sequence[str], giver: str | None, clears: Sequence[Finding], key_safe: bool = False
    ) -> bool:
        """Hand each product's strategy from ``giver`` (or from nobody) to a product manager with room, else a hire.

        With ``key_safe``, a product with so many teams that its hire would be a key person goes nowhere;
        returns whether every product found an owner.
        """
        placed_all = True
        for product in products:
            taker = self.strategy_taker(product, giver)
            if taker is not None:
                draft = self.draft(
                    "hand_over", self._hand_over_headline, key=(giver, taker), giver=giver, taker=taker, count=0
                )
            else:
                taker = self._planned_hire(
                    PRODUCT_MANAGER, product, giver, lambda p, x=product: self.strategy_room(p, [x])
                )
                if taker is None:
                    if key_safe and len(self.into(BUILDS, product)) >= self.profile.key_person_teams:
                        placed_all = False
                        continue
                    taker, draft = self._hire(PRODUCT_MANAGER, self.name(product))
                else:
                    draft = self.draft(
                        "hire", self._hire_headline, key=(PRODUCT_MANAGER,), role=PRODUCT_MANAGER, count=0
                    )
                if product not in draft.items:
                    draft.items.append(product)
                self._note_hire(taker, product, giver)
                draft.details.append(_moved_detail(self, product, giver, taker, "strategy"))
            self._move(draft, product, giver, taker, OWNS_STRATEGY)
            if draft.kind == "hand_over":
                draft.count += 1
                draft.items.append(product)
            draft.clear(clears)
            for team in self.teams_of(product):
                for owner in self.backlog_owners(team):
                    self._align_owner(draft, owner, [product])
        return placed_all

    def hand_over(self, item: str, giver: str, taker: str, kind: str, clears: Sequence[Finding]) -> Draft:
        """Hand ``item`` (a team for owns_backlog, a product for owns_strategy) from ``giver`` to a named ``taker``."""
        draft = self.draft("hand_over", self._hand_over_headline, key=(giver, taker), giver=giver, taker=taker, count=0)
        self._move(draft, item, giver, taker, kind)
        draft.count += 1
        draft.items.append(item)
        draft.clear(clears)
        if kind == OWNS_BACKLOG:
            self._align_owner(draft, taker, self.products_of(item))
        return draft

    def _move(self, draft: Draft, item: str, giver: str | None, taker: str, kind: str) -> None:
        if giver is not None:
            self.remove_link(draft, giver, item, kind)
        self.add_link(draft, taker, item, kind)
        draft.subjects += [n for n in (item,) if n not in draft.subjects]
        if giver is not None:
            self._move_duties(draft, item, giver, taker, kind)

    def _move_duties(self, draft: Draft, item: str, giver: str, taker: str, kind: str) -> None:
        """Keep products' own matrices in step with a hand-over: where the giver was accountable and no longer
        holds the link behind it, the taker becomes accountable instead (a matrix that follows the chart
        follows by itself)."""
        products = [item] if kind == OWNS_STRATEGY else self.products_of(item) if kind == OWNS_BACKLOG else []
        for product in products:
            matrix = self.org.duties_of(product) if self.org.is_product(product) else None
            if not matrix:
                continue
            if kind == OWNS_STRATEGY:
                duties, still = STRATEGY_DUTIES, giver in self.strategists(product)
            else:
                duties = EXECUTION_DUTIES
                still = any(giver in self.backlog_owners(team) for team in self.teams_of(product))
            if still:
                continue
            for duty in duties:
                if matrix.get(duty, {}).get(giver) == "A":
                    self._edit(draft, Edit("set_duty", node_id=product, source=giver, duty=duty))
                    self._edit(draft, Edit("set_duty", node_id=product, source=taker, duty=duty, letter="A"))

    def finish(self) -> None:
        """After every remedy: people whose reporting line the plan cut or moved stay aligned with their partners."""
        for draft, people in self._lines_changed:
            for person in people:
                if person in self._new_nodes or person in self.index.kind_of:
                    products = [p for t in self.teams_owned(person) for p in self.products_of(t)]
                    self._align_owner(draft, person, products)
                    for product in self.products_held(person):
                        for team in self.teams_of(product):
                            for owner in self.backlog_owners(team):
                                self._align_owner(draft, owner, [product])

    def _align_owner(self, draft: Draft, owner: str, products: Iterable[str]) -> None:
        """Keep a (new) backlog owner aligned with the strategy owner of each of its products."""
        if self.kind(owner) not in (PRODUCT_OWNER, PRODUCT_MANAGER):
            return
        for product in products:
            strategists = [s for s in self.strategists(product) if s != owner]
            if not strategists or any(self.connected(owner, s) for s in strategists):
                continue
            partner = next((s for s in strategists if self.can_link(owner, s, ALIGNS_WITH)), None)
            if partner is not None:
                self.add_link(draft, owner, partner, ALIGNS_WITH)
                continue
            # A leader holds the strategy: someone with no manager yet (a hire) can report to them.
            if not self.managers(owner):
                partner = next((s for s in strategists if self.span_room(s) and not self.reaches(s, owner)), None)
                if partner is not None and self.can_link(owner, partner, REPORTS_TO):
                    self.add_link(draft, owner, partner, REPORTS_TO)

    # -- other steps ---------------------------------------------------------------------------------------------

    def keep_one(self, kind: str, item: str, keeper: str, clears: Sequence[Finding]) -> Draft:
        """Leave ``keeper`` as the only owner (``kind``: owns_backlog or owns_strategy) of ``item``."""
        what = "backlog" if kind == OWNS_BACKLOG else "strategy"
        others = [o for o in self.into(kind, item) if o != keeper]
        draft = self.draft(
            "remove_link",
            lambda d: f"Make {self.name(keeper)} the only {what} owner of {self.name(item)}",
            subjects=[item, *others],
            items=[item],
            taker=keeper,
        )
        for other in others:
            self.remove_link(draft, other, item, kind)
            self._move_duties(draft, item, other, keeper, kind)
        draft.details.append(
            f"{self.names(others)} {'stops' if len(others) == 1 else 'stop'} owning the {what} of "
            f"{self.name(item)} and can feed {self.name(keeper)} instead."
        )
        draft.clear(clears)
        return draft

    def split_team(self, team: str, clears: Sequence[Finding]) -> Draft:
        """Split an oversized team into teams within the profile's size, each with a backlog owner."""
        size = self.size(team) or 0
        parts = max(2, math.ceil(size / self.profile.max_team_size))
        sizes = [size // parts + (1 if i < size % parts else 0) for i in range(parts)]
        draft = self.draft(
            "split_team",
            lambda d: f"Split team {self.name(team)} ({size} people) into {parts} teams",
            subjects=[team],
            items=[team],
            count=parts,
        )
        self.update(draft, team, size=sizes[0])
        owners = list(self.backlog_owners(team))
        new_teams = []
        for i, part in enumerate(sizes[1:], start=2):
            new = self.new_node(draft, DEV_TEAM, f"{self.name(team)} {i}", size=part)
            self.origin[new] = team
            new_teams.append(new)
            draft.subjects.append(new)
            for product in self.products_of(team):
                self.add_link(draft, new, product, BUILDS)
            for manager in self.out(REPORTS_TO, team):
                if self.span_room(manager):
                    self.add_link(draft, new, manager, REPORTS_TO)
            if len(owners) == 1 and self.backlog_room(owners[0], [new]):
                self.add_link(draft, owners[0], new, OWNS_BACKLOG)
            else:
                self.give_backlog([new], None, ())
        draft.details.append(
            f"{self.name(team)} has {size} people, more than {self.profile.max_team_size}. "
            f"Split it around parts of the product into teams of {join_names([str(s) for s in sizes])} people, "
            "each with its own backlog."
        )
        draft.clear(clears)
        return draft

    def narrow_span(self, manager: str, clears: Sequence[Finding]) -> Draft | None:
        """Put enough new managers between ``manager`` and their reports that nobody manages more than the limit."""
        limit = self.profile.max_direct_reports
        reports = list(self.into(REPORTS_TO, manager))
        if limit < 2 or len(reports) <= limit:
            return None
        count = managers_needed(len(reports), limit)
        draft = self.draft(
            "narrow_span",
            lambda d: (
                f"Narrow the span of {self.name(manager)}: add {role_words('manager', count)} "
                f"for {len(reports)} direct reports"
            ),
            subjects=[manager],
            items=[manager],
            role=LEADER,
            count=count,
        )
        new = [self.new_node(draft, LEADER, f"New manager {i} under {self.name(manager)}") for i in range(1, count + 1)]
        # Seniors stay with the manager when there is room; the rest are grouped, kind by kind, under the new
        # managers, filled breadth first so that no one (new or old) manages more than the limit.
        ordered = sorted(reports, key=lambda r: (-SENIORITY.get(self.kind(r), 0), self.kind(r), self.name(r)))
        slots: list[tuple[str, int]] = [(manager, limit)]
        placed: dict[str, str] = {}
        queue = list(new) + ordered
        position = 0
        for node in queue:
            while slots[position][1] == 0:
                position += 1
            holder, free = slots[position]
            slots[position] = (holder, free - 1)
            placed[node] = holder
            if node in new:
                slots.append((node, limit))
        for node in new:
            self.add_link(draft, node, placed[node], REPORTS_TO)
        for report in ordered:
            if placed[report] != manager:
                self.remove_link(draft, report, manager, REPORTS_TO)
                self.add_link(draft, report, placed[report], REPORTS_TO)
        kept = sum(1 for r in ordered if placed[r] == manager)
        staying = "none of today's reports staying direct" if kept == 0 else f"{kept} of today's reports staying direct"
        draft.details.append(
            f"{self.name(manager)} has {len(reports)} direct reports; the limit is {limit}. At most {limit} each, "
            f"they need {role_words('manager', count)} in between (team leads, or heads of a product line), "
            f"with {staying}. Appoint from within or hire, and regroup the reports by product."
        )
        draft.clear(clears)
        return draft

    def link(
        self,
        source: str,
        target: str,
        kind: str,
        clears: Sequence[Finding],
        headline: Callable[[Draft], str],
        key: tuple | None = None,
        detail: str = "",
        replaces: Sequence[tuple[str, str, str]] = (),
    ) -> Draft:
        """Add a link (after removing ``replaces``), as an ``add_link`` step, or ``remove_link`` when it replaces."""
        draft = self.draft("remove_link" if replaces else "add_link", headline, key=key)
        for old in replaces:
            self.remove_link(draft, *old)
            draft.subjects += [n for n in old[:2] if n not in draft.subjects]
        if kind:
            self.add_link(draft, source, target, kind)
            draft.items += [n for n in (target,) if n not in draft.items]
            draft.subjects += [n for n in (source, target) if n not in draft.subjects]
        if detail and detail not in draft.details:
            draft.details.append(detail)
        draft.clear(clears)
        return draft

    def unlink(
        self, links: Sequence[tuple[str, str, str]], clears: Sequence[Finding], headline: str, detail: str
    ) -> Draft:
        draft = self.draft("remove_link", lambda d: headline)
        for source, target, kind in links:
            self.remove_link(draft, source, target, kind)
            draft.subjects += [n for n in (source, target) if n not in draft.subjects]
        draft.details.append(detail)
        draft.clear(clears)
        return draft

    def reaches(self, start: str, goal: str, skip: tuple[str, str, str] | None = None) -> bool:
        """Whether following 'reports to' lines from ``start`` (leaving out ``skip``) leads to ``goal``."""
        seen = {start}
        stack = [start]
        while stack:
            node = stack.pop()
            for nxt in self.out(REPORTS_TO, node):
                if skip is not None and (node, nxt) == skip[:2]:
                    continue
                if nxt == goal:
                    return True
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)


def managers_needed(reports: int, limit: int) -> int:
    """New managers so that ``reports`` people, and the managers themselves, sit under one top manager with at most
    ``limit`` direct reports each: every new manager adds ``limit`` places and takes one.

    >>> managers_needed(125, 10)
    13
    >>> managers_needed(12, 10)
    1
    """
    return max(0, math.ceil((reports - limit) / (limit - 1)))


def _for_items(ctx: StaffingMoves, owned: Iterable[str]) -> list[str]:
    """What a hire is for, as a CPO reads it: products rather than teams, a team's name when it builds none."""
    items: list[str] = []
    for node in owned:
        if ctx.kind(node) == DEV_TEAM:
            items += ctx.products_of(node) or [node]
        else:
            items.append(node)
    return list(dict.fromkeys(items))


def _moved_detail(ctx: StaffingMoves, item: str, giver: str | None, taker: str, what: str) -> str:
    who = f"a new {NODE_LABELS[ctx.kind(taker)].lower()}" if ctx.is_new(taker) else ctx.name(taker)
    source = f" from {ctx.name(giver)}" if giver else ""
    noun = f"the {what} of {ctx.name(item)}"
    return f"{who[:1].upper()}{who[1:]} takes {noun}{source}."
