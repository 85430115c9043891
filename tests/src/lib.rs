//! Shared helpers of the workspace-level tests; the tests themselves live in `tests/tests/`.
