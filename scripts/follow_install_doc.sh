#!/usr/bin/env bash
# Follow docs/install.md with an installed frontdesk, as a new IT person would:
#   bash scripts/follow_install_doc.sh /usr/bin/frontdesk WORK_DIR
# Provision (§2), health, backup and its list, restore with its kept copy (§4), the
# replacement-PC flow with a key export/import (§4), an init error naming its option
# (§7), and the self-check on a real X display (§1). Head office steps (enrol, sync)
# need the head office server, which the counter bundle does not contain.
set -euo pipefail
F="$1"
WORK="$2"
export FRONTDESK_LOG_DIR="$WORK/logs"
export FRONTDESK_KEYS_PASSPHRASE="branch-safe-passphrase-2026"
D="$WORK/counter"
step() { echo "== $*"; }
expect_exit() {  # expect_exit CODE command…
  local want="$1"; shift
  set +e; "$@" >"$WORK/out" 2>"$WORK/err"; local got=$?; set -e
  if [ "$got" != "$want" ]; then
    echo "expected exit $want, got $got: $*"; cat "$WORK/out" "$WORK/err"; exit 1
  fi
}

step "§2 provision"
"$F" --data-dir "$D" init --branch DOC01 --workstation W01 --branch-name "文档示例营业厅"
"$F" --data-dir "$D" health | grep "status: OK" >/dev/null

step "§4 back up, list, export the keys"
"$F" --data-dir "$D" backup
"$F" --data-dir "$D" backup --list | grep -- "-manual.db" >/dev/null
mkdir -p "$WORK/usb"
"$F" --data-dir "$D" keys export --out "$WORK/usb/DOC01-W01.fdkeys"
BACKUP="$(ls "$D"/backups/*-manual.db | tail -n 1)"
cp "$BACKUP" "$WORK/usb/"

step "§4 restore keeps the replaced database"
"$F" --data-dir "$D" restore "$BACKUP"
ls "$D"/backups/*-before-restore.db >/dev/null

step "§4 replacing a counter PC"
N="$WORK/new-pc"
"$F" --data-dir "$N" init --branch DOC01 --workstation W01
"$F" --data-dir "$N" restore "$WORK/usb/$(basename "$BACKUP")"
expect_exit 8 "$F" --data-dir "$N" health     # its own keys do not fit the restored data
grep -q "keys import" "$WORK/err"
"$F" --data-dir "$N" keys import "$WORK/usb/DOC01-W01.fdkeys"
"$F" --data-dir "$N" health | grep "status: OK" >/dev/null

step "§7 a bad option is named"
expect_exit 2 "$F" --data-dir "$WORK/bad" init --branch bj-01 --workstation W01
grep -q -- "--branch" "$WORK/err"
[ ! -e "$WORK/bad" ]

step "§1 self-check on a real X display"
xvfb-run -a "$F" selfcheck --platform xcb | tee "$WORK/out"
grep -q "ok   gui: Qt platform xcb" "$WORK/out"
grep -q "command init started" "$WORK/logs/frontdesk.log"
echo "install.md followed: ok"
