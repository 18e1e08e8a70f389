"""Every write of social assistance, one module per part (files, applications, grants, payments, warnings,
imports, mutual aid); import from the module."""
