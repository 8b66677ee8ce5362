#!/bin/sh
# The pages' message catalogues: extract every msgid from countyhub/web (templates
# and modules, as babel.cfg says; `_l` is lazy_gettext), merge them into each
# language's .po, compile the .mo.
# Then translate what is new or fuzzy in countyhub/web/translations/zh_Hans_CN/
# LC_MESSAGES/messages.po and run this again (tests/web/test_i18n.py checks that
# nothing is missing and that the .mo matches the .po).  Commit the .po and .mo.
set -eu
cd "$(dirname "$0")/.."
dir=countyhub/web/translations
pot=$(mktemp "${TMPDIR:-/tmp}/countyhub-messages.XXXXXX.pot")
trap 'rm -f "$pot"' EXIT
pybabel extract -F babel.cfg -k _l --no-location --sort-output \
  --project=countyhub --copyright-holder=countyhub -o "$pot" countyhub/web
if [ ! -f "$dir/zh_Hans_CN/LC_MESSAGES/messages.po" ]; then
  pybabel init -i "$pot" -d "$dir" -l zh_Hans_CN
else
  pybabel update -i "$pot" -d "$dir" --no-fuzzy-matching --ignore-obsolete
fi
pybabel compile -d "$dir" --statistics
