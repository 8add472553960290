"""Operations for IT: logging, backups and restore, the bundle's self-check."""
