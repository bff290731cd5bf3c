#!/bin/sh
# Install (or remove) the Moments Desk bundle for the current user, no root needed.
#
#   ./install.sh              copy this folder to ~/.local/opt/moments-desk, add the menu entry,
#                             the icon and ~/.local/bin/moments-desk
#   ./install.sh --uninstall  remove those again; your shop data (~/.local/share/MomentsDesk)
#                             is kept
#
# Run it from the unpacked bundle folder (dist/moments-desk/), where `make bundle` puts it.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
prefix="${XDG_DATA_HOME:-$HOME/.local/share}"
target="$HOME/.local/opt/moments-desk"
bin="$HOME/.local/bin/moments-desk"
desktop="$prefix/applications/moments-desk.desktop"
icon="$prefix/icons/hicolor/256x256/apps/moments-desk.png"

refresh() {
    command -v update-desktop-database >/dev/null 2>&1 \
        && update-desktop-database -q "$prefix/applications" || true
    command -v gtk-update-icon-cache >/dev/null 2>&1 \
        && gtk-update-icon-cache -q -t "$prefix/icons/hicolor" || true
}

if [ "${1:-}" = "--uninstall" ]; then
    rm -rf "$target"
    rm -f "$bin" "$desktop" "$icon"
    refresh
    echo "Moments Desk removed. Your shop data in $prefix/MomentsDesk was kept."
    exit 0
fi

if [ ! -x "$here/moments-desk" ]; then
    echo "install.sh: run me from the bundle folder (moments-desk executable not found)" >&2
    exit 1
fi
if [ "$here" != "$target" ]; then
    rm -rf "$target"
    mkdir -p "$(dirname "$target")"
    cp -a "$here" "$target"
fi
mkdir -p "$(dirname "$bin")" "$(dirname "$desktop")" "$(dirname "$icon")"
ln -sf "$target/moments-desk" "$bin"
cp "$here/moments-desk.png" "$icon"
# The menu entry starts the installed copy by its full path: ~/.local/bin may not be on PATH.
sed "s|^Exec=moments-desk|Exec=\"$target/moments-desk\"|" "$here/moments-desk.desktop" >"$desktop"
chmod 644 "$desktop"
refresh
echo "Moments Desk installed in $target; find it in your applications menu as 朋友圈卖货台."
