"""Training programmes, their modules, the division-wise calendar and its sessions."""
