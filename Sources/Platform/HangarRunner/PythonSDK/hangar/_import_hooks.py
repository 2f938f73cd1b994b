"""Calls a function right after a module is imported (for the first time), without importing it
earlier: ``import duckdb`` costs 150-250 ms, which a flight that never uses it must not pay."""
import importlib.abc
import sys
import threading

__all__ = ["when_imported"]

_hooks = {}
_lock = threading.Lock()


def when_imported(name, hook):
    """Runs ``hook(module)`` once ``name`` is imported; at once when it already is."""
    module = sys.modules.get(name)
    if module is not None:
        hook(module)
        return
    with _lock:
        _hooks.setdefault(name, []).append(hook)
        if not any(isinstance(finder, _Finder) for finder in sys.meta_path):
            sys.meta_path.insert(0, _Finder())


def _run_hooks(name, module):
    with _lock:
        hooks = _hooks.pop(name, [])
    for hook in hooks:
        hook(module)


class _Finder(importlib.abc.MetaPathFinder):
    """Finds a hooked module with the finders after it and wraps the loader it gets."""

    def __init__(self):
        self._searching = threading.local()

    def find_spec(self, fullname, path=None, target=None):
        if fullname not in _hooks:
            return None
        searching = self._searching.__dict__.setdefault("names", set())
        if fullname in searching:
            return None
        searching.add(fullname)
        try:
            spec = None
            for finder in sys.meta_path:
                if finder is self or not hasattr(finder, "find_spec"):
                    continue
                spec = finder.find_spec(fullname, path, target)
                if spec is not None:
                    break
        finally:
            searching.discard(fullname)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        spec.loader = _HookedLoader(spec.loader, fullname)
        return spec


class _HookedLoader(importlib.abc.Loader):
    def __init__(self, loader, name):
        self._loader = loader
        self._name = name

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        # The module keeps the real loader, for reloads and for tools that look at it.
        module.__loader__ = self._loader
        if getattr(module, "__spec__", None) is not None:
            module.__spec__.loader = self._loader
        self._loader.exec_module(module)
        _run_hooks(self._name, module)

    def __getattr__(self, name):
        return getattr(self._loader, name)
