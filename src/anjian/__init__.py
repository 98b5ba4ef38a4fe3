"""Anjian (安监): work safety for China's health sector."""
