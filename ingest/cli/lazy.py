"""A command group whose subcommands are imported when they are run.

Most runs of `lawrepo` are `build` or `validate`; the other commands bring
HTML parsers, HTTP clients and spreadsheet readers that take longer to import
than a one-record rebuild takes to run. Each such command is named here by
the module and attribute that define it and imported on first use (the
pattern Click's documentation gives for lazy subcommands).
"""

from __future__ import annotations

import importlib
from typing import Any

import click


class LazyGroup(click.Group):
    def __init__(self, *args: Any, lazy: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})  # command name -> "module:attribute"

    def list_commands(self, ctx: click.Context | None) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})  # type: ignore[arg-type]

    def get_command(self, ctx: click.Context | None, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy:
            return self._load(cmd_name)
        return super().get_command(ctx, cmd_name)  # type: ignore[arg-type]

    def _load(self, name: str) -> click.Command:
        module, attribute = self.lazy[name].split(":")
        command = getattr(importlib.import_module(module), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{self.lazy[name]} is not a command")
        return command

    def every_command(self) -> dict[str, click.Command]:
        """Every command by name, the lazy ones imported."""
        return {name: cmd for name in self.list_commands(None) if (cmd := self.get_command(None, name)) is not None}
