"""Sharing plans outside the team: copies with hidden names and the three-way merge back."""
