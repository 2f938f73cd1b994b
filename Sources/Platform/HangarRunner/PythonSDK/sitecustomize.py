"""Started by Python in every run of a Python flight (Hangar puts this folder on PYTHONPATH).

With ``HANGAR_LOCAL_ACCOUNT=1`` (no MotherDuck token configured) MotherDuck's ``md:`` connections
and dlt's ``motherduck`` destination go to Hangar's local account; nothing is imported until the
flight imports duckdb or dlt. Then the next ``sitecustomize`` on the path (the interpreter's own,
if any) runs as it would have without this one.
"""
import os
import sys


def _start_local_account():
    if os.environ.get("HANGAR_LOCAL_ACCOUNT") != "1":
        return
    try:
        from hangar import motherduck
        motherduck.install()
    except Exception as error:  # a broken helper must not stop the flight itself
        print("hangar: the local account for md: connections is unavailable: %r" % (error,), file=sys.stderr, flush=True)


def _chain_next_sitecustomize():
    import importlib.machinery
    import importlib.util
    here = os.path.dirname(os.path.abspath(__file__))
    later = [entry for entry in sys.path if os.path.abspath(entry or ".") != here]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", later)
    if spec is None or spec.loader is None or os.path.abspath(spec.origin or "") == os.path.abspath(__file__):
        return
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)


_start_local_account()
_chain_next_sitecustomize()
