"""Reading a GraphML file as a stream of elements, each dropped once read (no Qt here).

:func:`planner.io.graphml.load` tries this first: a 100,000-card file is read in
a fraction of the time and memory its whole tree costs. Anything only the tree
reader handles or names (a problem, yEd's groups, a stray node) raises
:class:`NeedsTree`, and the file is read again as a tree.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from math import copysign
from pathlib import Path
from typing import Any, BinaryIO

from planner.collector import collector_paused
from planner.io.errors import Problem
from planner.io.graphml import MAX_GRAPHML_BYTES, _children, _Keys, _local, _new_org, _values_of
from planner.io.native import set_saved_duties
from planner.io.xmlstream import ended_elements
from planner.model.org import ModelError, Node, Org, link_columns, make_node
from planner.model.vocabulary import LINK_KINDS


class NeedsTree(Exception):
    """The streamed reading met what only the tree reader handles or names: a problem, a group, a stray node."""


#: The elements the streamed reading looks at; every other one is read as part of these.
_TAKEN = frozenset(("node", "edge", "key", "graph", "hyperedge"))


class _StreamedGraph:
    """What the stream of a GraphML document's elements holds for the org, gathered as each element ends."""

    def __init__(self, path: str | Path | None) -> None:
        self.path = path
        #: Tag → local name, for every tag met: one look-up per element instead of splitting its tag.
        self.local_names: dict[str, str] = {}
        self.declarations: list[ET.Element] = []
        self.keys: _Keys | None = None
        self.node_keys: dict[str, str] = {}
        self.edge_keys: dict[str, str] = {}
        self.nodes: list[Node] = []
        #: Each node id to itself: links name their ends with the node's own string, not a copy per link.
        self.ids: dict[str, str] = {}
        self.sources: list[str] = []
        self.targets: list[str] = []
        self.kinds: list[str] = []
        self.graph: ET.Element | None = None
        self.root: ET.Element | None = None
        #: Each kind and job title read, to itself: the parser makes a new string per node, and an org
        #: has a few kinds and some hundreds of titles for 100,000 cards (5 MB of copies).
        self.shared_text: dict[str, str] = {}
        #: Likewise each position: cards sit in rows and columns, or all at 0 in a file nothing laid out.
        self.shared_numbers: dict[float, float] = {}

    def read(self, handle: BinaryIO) -> Org:
        local_names, local, take = self.local_names, self.local, self.take
        for events in ended_elements(handle, self.path, MAX_GRAPHML_BYTES):
            for _, element in events:
                name = local_names.get(element.tag) or local(element.tag)
                if name in _TAKEN:
                    take(name, element)
                self.root = element
        return self.org()

    def local(self, tag: Any) -> str:
        name = self.local_names.get(tag)
        if name is None:
            name = self.local_names[tag] = _local(tag)
        return name

    def take(self, name: str, element: ET.Element) -> None:
        """Take what the org needs from an element that just ended, and let go of its children."""
        if name == "node":
            self._take_node(element)
        elif name == "edge":
            self._take_edge(element)
        elif name == "key":
            if self.keys is not None:
                raise NeedsTree  # a key declared after the graph started
            self.declarations.append(element)
        elif name == "graph":
            self._started()
            if self.graph is None:
                self.graph = element
        else:
            raise NeedsTree  # a hyperedge: the tree reader says why it is not read

    def _started(self) -> None:
        if self.keys is None:
            self.keys = _Keys(declarations=self.declarations)
            self.node_keys = {key_id: name for (domain, key_id), name in self.keys.names.items() if domain == "node"}
            self.edge_keys = {key_id: name for (domain, key_id), name in self.keys.names.items() if domain == "edge"}

    def _data(self, element: ET.Element, names: dict[str, str], defaults: dict[str, str]) -> dict[str, str]:
        values = dict(defaults)
        local_names = self.local_names
        for child in element:
            if (local_names.get(child.tag) or self.local(child.tag)) == "data":
                name = names.get(child.get("key", ""))
                if name is not None and len(child) == 0:
                    values[name] = child.text or ""
        return values

    def _take_node(self, element: ET.Element) -> None:
        self._started()
        node_id = element.get("id")
        if self.graph is not None or not node_id or node_id in self.ids:
            raise NeedsTree  # a node after the first graph, inside a group, without an id or twice
        problems: list[Problem] = []
        data = self._data(element, self.node_keys, self.keys.defaults["node"])
        values = _values_of(node_id, data, element, "", problems)
        if values is None or problems:
            raise NeedsTree
        shared = self.shared_text
        values["kind"] = shared.setdefault(values["kind"], values["kind"])
        if "title" in values:
            values["title"] = shared.setdefault(values["title"], values["title"])
        numbers = self.shared_numbers
        for axis in ("x", "y"):
            value = values.get(axis)
            if value is not None and (value or copysign(1.0, value) > 0):  # -0.0 equals 0.0: kept apart
                values[axis] = numbers.setdefault(value, value)
        try:
            self.nodes.append(make_node(**values))
        except ModelError:
            raise NeedsTree from None
        self.ids[node_id] = node_id
        element.clear()

    def _take_edge(self, element: ET.Element) -> None:
        self._started()
        if self.graph is not None:
            raise NeedsTree
        kind = self._data(element, self.edge_keys, self.keys.defaults["edge"]).get("kind", "").strip()
        source, target = element.get("source", ""), element.get("target", "")
        ids = self.ids
        self.sources.append(ids.get(source, source))
        self.targets.append(ids.get(target, target))
        self.kinds.append(LINK_KIND_NAMES.get(kind, kind))
        element.clear()

    def _all_in_the_graph(self) -> bool:
        """Whether every node and edge read was the first graph's, none inside another (groups are the tree's)."""
        root, graph = self.root, self.graph
        if root is None or graph is None or self.local(root.tag) != "graphml":
            return False
        if _children(root, "graph")[0] is not graph:
            return False
        counted = {"node": 0, "edge": 0}
        for element in root.iter():
            name = self.local(element.tag)
            if name in counted:
                counted[name] += 1
        inside = sum(1 for element in graph.iter() if self.local(element.tag) in counted)
        return counted == {"node": len(self.nodes), "edge": len(self.kinds)} and inside == sum(counted.values())

    def org(self) -> Org:
        """The org, or :class:`NeedsTree` when the document holds anything the tree reader must look at."""
        if not self._all_in_the_graph():
            raise NeedsTree
        ids = self.ids
        if not (
            set(self.kinds) <= LINK_KINDS.keys() and set(self.sources) <= ids.keys() and set(self.targets) <= ids.keys()
        ):
            raise NeedsTree
        problems: list[Problem] = []
        data = self.keys.data(self.graph, "graph")
        meta = _new_org(data, self.path, problems)
        if problems:
            raise NeedsTree
        columns = (self.sources, self.targets, self.kinds)
        try:
            org = Org.from_checked(meta.name, meta.profile, self.nodes, *columns)
        except ModelError:  # a link given twice: read once, as the tree reader does
            unique = dict.fromkeys(zip(*columns, strict=True))
            org = Org.from_checked(meta.name, meta.profile, self.nodes, *link_columns(unique))
        if meta.profile_settings:
            org.set_profile_settings(meta.profile_settings)
        if data.get("duties"):
            try:
                problems = set_saved_duties(org, json.loads(data["duties"]), "graph.duties")
            except ValueError:
                raise NeedsTree from None
            if problems:
                raise NeedsTree
        return org


#: Each link kind's name to itself, so that every link of a kind shares one string.
LINK_KIND_NAMES = {kind: kind for kind in LINK_KINDS}


def streamed_org(handle: BinaryIO, path: str | Path | None) -> Org:
    """The org of a GraphML document read as a stream; :class:`NeedsTree` when the tree reader must read it."""
    with collector_paused():
        return _StreamedGraph(path).read(handle)
