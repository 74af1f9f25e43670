"""Prefect flows and tasks that compose sources, transforms and warehouse; the CLI."""
