-- grain: opens the new snapshot file (a temporary name) next to the live catalog
attach $path as snap
