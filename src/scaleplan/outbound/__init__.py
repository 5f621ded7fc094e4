"""Outbound channels: notifications posted to chat webhooks."""
