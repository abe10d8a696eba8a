#!/usr/bin/env bash
# Merge the Indonesian translations that features bring as docs/translations-todo-*.po-fragment
# into the catalogue, refresh it from the code, and compile it. Needs GNU gettext.
set -euo pipefail
cd "$(dirname "$0")/.."
PO=src/jangkau/locale/id/LC_MESSAGES/django.po
BIN=${BIN:-.venv/bin}
export DJANGO_SETTINGS_MODULE=jangkau.settings_test
refresh() {
  (cd src/jangkau && "../../$BIN/django-admin" makemessages -l id --no-obsolete -i "cores/*" -i "agent/*" -i "*/settings_dev.py" >/dev/null)
  # makemessages guesses translations of new strings from similar ones ("fuzzy"); a wrong
  # guess is worse than English, so drop every guess.
  msgattrib --clear-fuzzy --empty --no-obsolete "$PO" -o "$PO"
}
refresh
shopt -s nullglob
fragments=(docs/translations-todo-*.po-fragment)
if [ ${#fragments[@]} -gt 0 ]; then
  tmp=$(mktemp -d)
  for f in "${fragments[@]}"; do
    { printf 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: id\\n"\n"Plural-Forms: nplurals=1; plural=0;\\n"\n\n'; grep -v '^#' "$f" | sed '/^msgid ""$/,/^$/{/^msgid ""$/{N;/\nmsgstr ""$/d}}' ; } > "$tmp/$(basename "$f").po"
  done
  msgcat --use-first "$tmp"/*.po "$PO" -o "$PO"
  rm -rf "$tmp"
  refresh
fi
untranslated=$(msgattrib --untranslated --no-obsolete "$PO" | grep -c '^msgid ' || true)
msgfmt --check -o "${PO%.po}.mo" "$PO"
echo "catalogue: $(grep -c '^msgid ' "$PO") messages; untranslated: $((untranslated > 0 ? untranslated - 1 : 0))"
