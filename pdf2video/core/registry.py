"""A registry of plugins by name: classifiers, script writers (papermill's engines model).

A new plugin is one factory registered under a name; asking for an unknown name is an
error that lists the names there are.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Registry(Generic[T]):
    def __init__(self, kind: str) -> None:
        self.kind = kind  # what the plugins are, for the error message
        self._factories: dict[str, Callable[..., T]] = {}

    def register(self, name: str, factory: Callable[..., T]) -> None:
        self._factories[name] = factory

    def names(self) -> list[str]:
        return sorted(self._factories)

    def get(self, name: str, **options: object) -> T:
        try:
            factory = self._factories[name]
        except KeyError:
            raise ValueError(
                f"unknown {self.kind} {name!r}; choose from {', '.join(self.names())}"
            ) from None
        return factory(**options)
