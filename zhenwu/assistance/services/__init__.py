"""Every write of social assistance, one module per part (files, applications; grants and payments)."""
