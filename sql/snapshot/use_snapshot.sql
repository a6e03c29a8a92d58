-- grain: makes the snapshot the default catalog so views are created inside it
use snap
