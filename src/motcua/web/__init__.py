"""The site shell: base layout, navigation, home and error pages, shared template pieces."""
