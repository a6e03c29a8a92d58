-- grain: closes the snapshot file before it is renamed into place
detach snap
