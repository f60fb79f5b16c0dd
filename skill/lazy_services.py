"""`ask_sdk_model.services` without importing every Alexa service at a cold start.

ask-sdk-core imports `ask_sdk_model.services` for base classes and two small classes
(`Serializer`, `ApiConfiguration`), and `ServiceClientFactory`, whose module imports the
clients of every Alexa service (about 140 modules, a third of a Lambda cold start) though
a skill without an API client never builds one. `install()`, called before the SDK is
first imported, puts the real package in `sys.modules` without running its `__init__`:
each of the names that `__init__` exports is imported from its own submodule on first
use, and `ServiceClientFactory` is a stand-in that imports the real factory the first
time one is built (the time-zone lookup) and returns a real one. Submodules
(`ask_sdk_model.services.ups`, ...) import as they always do.

tests/test_lazy_services.py checks that the names match the SDK's `__init__`, and that a
cold start with it imports no service client yet builds a working factory.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from types import ModuleType
from typing import Any

PACKAGE = "ask_sdk_model.services"
# What ask_sdk_model/services/__init__.py exports, and the submodule each comes from.
EXPORTS = {
    "BaseServiceClient": "base_service_client",
    "ApiConfiguration": "api_configuration",
    "ApiResponse": "api_response",
    "ServiceClientResponse": "service_client_response",
    "ApiClient": "api_client",
    "ServiceClientFactory": "service_client_factory",
    "ApiClientResponse": "api_client_response",
    "ServiceException": "service_exception",
    "Serializer": "serializer",
    "ApiClientMessage": "api_client_message",
    "AuthenticationConfiguration": "authentication_configuration",
    "ApiClientRequest": "api_client_request",
}


def _real(name: str) -> Any:
    return getattr(importlib.import_module(f"{PACKAGE}.{EXPORTS[name]}"), name)


class ServiceClientFactory:
    """Builds the SDK's real `ServiceClientFactory`, importing it on first use."""

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        return _real("ServiceClientFactory")(*args, **kwargs)


def _attribute(module: ModuleType) -> Any:
    def __getattr__(name: str) -> Any:  # a module's __getattr__ (PEP 562)
        if name not in EXPORTS:
            raise AttributeError(f"module {PACKAGE!r} has no attribute {name!r}")
        value = ServiceClientFactory if name == "ServiceClientFactory" else _real(name)
        setattr(module, name, value)
        return value

    return __getattr__


def install() -> bool:
    """Put the lazy package in place; False if the real one was already imported."""
    if PACKAGE in sys.modules:
        return False
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None:
        return False
    module = importlib.util.module_from_spec(spec)
    module.__getattr__ = _attribute(module)  # type: ignore[method-assign]
    sys.modules[PACKAGE] = module
    parent = importlib.import_module("ask_sdk_model")
    parent.services = module  # type: ignore[attr-defined]
    return True
