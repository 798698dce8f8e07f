"""The dock panels around the chart: the palette of kinds, the inspector and the gaps list."""
