"""The state chart as Mermaid, drawn by transitions' GraphMachine from the same table the engine runs."""

from __future__ import annotations

from transitions.extensions import GraphMachine

from contract_flow.domain.states import TRANSITIONS, CaseState


class _Marker:
    """GraphMachine draws the graph of a registered model; this one only carries the state to highlight."""

    state: str


def mermaid(current: CaseState | None = None, *, title: str = "Case state chart") -> str:
    """`stateDiagram-v2` source; with `current`, that state is drawn as active."""
    marker = _Marker()
    GraphMachine(
        model=marker,
        states=[state.value for state in CaseState],
        transitions=[
            {"trigger": spec.trigger.value, "source": [s.value for s in spec.sources], "dest": spec.dest.value}
            for spec in TRANSITIONS
        ],
        initial=(current or CaseState.REFLECT).value,
        auto_transitions=False,
        graph_engine="mermaid",
        title=title,
        show_state_attributes=False,
    )
    source: str = marker.get_graph().draw(None)  # type: ignore[attr-defined]
    if current is None:
        # Without a case there is no current state: draw every state alike.
        source = source.replace("Class reflect s_active", "Class reflect s_default")
    return source.rstrip() + "\n"
