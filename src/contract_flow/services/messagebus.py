"""The message bus: hands each event a use case recorded to the handlers that react to it, and each command the
engine sends itself to the one use case that handles it, inside the unit of work that raised them.

The composition root (`bootstrap.py`) builds it from `HANDLERS` below, giving each handler the dependencies it
names; a use case never imports another's. Handlers run before the unit of work commits, so what they write
(re-planned reminders, cancelled reviews) commits or rolls back with the change that caused it; what must happen
only once the commit succeeded (enqueueing) is registered with `uow.after_commit`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from contract_flow.domain.events import Command, Event

if TYPE_CHECKING:
    from contract_flow.services.unit_of_work import UnitOfWork

EventHandler = Callable[[Any, "UnitOfWork"], None]
CommandHandler = Callable[[Any, "UnitOfWork"], Any]

#: Events handled before the pending list runs dry: a handler raising events that raise events... is a loop.
MAX_ROUNDS = 20


class MessageBus:
    def __init__(self, event_handlers: Mapping[type[Event], Sequence[EventHandler]],
                 command_handlers: Mapping[type[Command], CommandHandler]) -> None:
        self._events = {kind: tuple(handlers) for kind, handlers in event_handlers.items()}
        self._commands = dict(command_handlers)
        #: the handlers of each event class, most specific first (a ContractBroken's own, then a CaseMoved's,
        #: then a CaseChanged's), computed once per class
        self._for: dict[type[Event], tuple[EventHandler, ...]] = {}

    def handlers_for(self, kind: type[Event]) -> tuple[EventHandler, ...]:
        found = self._for.get(kind)
        if found is None:
            found = self._for[kind] = tuple(
                handler for cls in kind.__mro__ for handler in self._events.get(cls, ()))
        return found

    def handle(self, uow: UnitOfWork) -> None:
        """Run the handlers of every event the unit of work collected, and of those they raise in turn."""
        for _ in range(MAX_ROUNDS):
            pending = uow.collect_events()
            if not pending:
                return
            for event in pending:
                for handler in self.handlers_for(type(event)):
                    handler(event, uow)
        raise RuntimeError(f"events still raised after {MAX_ROUNDS} rounds of handlers: a handler loop")

    def dispatch(self, command: Command, uow: UnitOfWork) -> Any:
        handler = self._commands.get(type(command))
        if handler is None:
            raise LookupError(f"no handler for the command {type(command).__name__}")
        return handler(command, uow)


#: No handler at all: units of work outside the engine (migrations, tests of the repositories).
NO_BUS = MessageBus({}, {})
