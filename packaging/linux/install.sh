#!/bin/sh
# Install this unpacked factdesk for the current user, without root: the program under
# ~/.local/opt/factdesk, the command in ~/.local/bin, the menu entry, icons and the .fdb file type
# under ~/.local/share. Run it again to update; remove those paths to uninstall.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
opt=$HOME/.local/opt/factdesk
rm -rf "$opt"
mkdir -p "$opt" "$HOME/.local/bin" "$data"
cp -a "$here/factdesk/." "$opt/"
ln -sf "$opt/factdesk" "$HOME/.local/bin/factdesk"
cp -a "$here/share/." "$data/"
# the menu entry runs the program by its full path: ~/.local/bin is not always on PATH
sed -i "s|^Exec=factdesk |Exec=$opt/factdesk |; s|^TryExec=factdesk|TryExec=$opt/factdesk|" \
  "$data/applications/factdesk.desktop"
command -v update-mime-database >/dev/null && update-mime-database "$data/mime" || true
command -v update-desktop-database >/dev/null && update-desktop-database "$data/applications" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$data/icons/hicolor" || true
echo "factdesk installed: find it in your applications menu, or run $opt/factdesk"
