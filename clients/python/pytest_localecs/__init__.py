"""pytest-localecs: LocalECS (a local Alibaba Cloud ECS) inside a pytest suite.

The plugin (``pytest_localecs.plugin``, loaded through the ``pytest11`` entry point) starts one
``localecs serve`` per test session and provides the ``localecs``, ``localecs_fresh``,
``ecs_client`` and ``ram_client`` fixtures and the ``localecs_fresh`` marker.
"""
from .server import LocalECS, LocalECSError, find_binary

__all__ = ["LocalECS", "LocalECSError", "find_binary"]
