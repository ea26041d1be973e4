"""A local, high-fidelity emulator of the Huawei Cloud APIs that hwcloud.taskops drives.

Written from the public API reference (paths, fields, status enums, error codes, IAM
tokens, SDK-HMAC-SHA256 signatures), independently of the collection's client code,
so that it can catch the client's mistakes. It never imports the collection.
"""

__version__ = "1.0.0"
