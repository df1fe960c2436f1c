#!/bin/sh
# Install (or remove) ReviewApp's launcher, AppStream metainfo and icons for the current user.
#
#   packaging/install-desktop.sh [ENTRY_POINT]     install; ENTRY_POINT defaults to .venv/bin/reviewapp
#   packaging/install-desktop.sh --uninstall       remove what an install put there
#
# Files go below $XDG_DATA_HOME (default ~/.local/share): applications/, metainfo/ and
# icons/hicolor/. The launcher's Exec is the absolute path of ENTRY_POINT, so the menu entry
# starts the app from the virtual environment it was installed from, whatever PATH holds.
set -eu

APP_ID=org.reviewapp.ReviewApp
SIZES="16 32 48 64 128 256 512"

here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd -P)
repo=$(dirname -- "$here")
resources="$repo/resources"
data_home=${XDG_DATA_HOME:-"${HOME:?HOME is not set}/.local/share"}
apps="$data_home/applications"
metainfo="$data_home/metainfo"
icons="$data_home/icons/hicolor"

die() {
    printf 'install-desktop: %s\n' "$1" >&2
    exit 2
}

refresh_caches() {
    # Menus and icon themes read these caches; the tools are optional (absent on minimal systems).
    if command -v update-desktop-database >/dev/null 2>&1; then
        update-desktop-database -q "$apps" || printf 'install-desktop: update-desktop-database failed\n' >&2
    fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1; then
        # -t: the user's hicolor folder has no index.theme of its own
        gtk-update-icon-cache -q -f -t "$icons" || printf 'install-desktop: gtk-update-icon-cache failed\n' >&2
    fi
}

uninstall() {
    rm -f "$apps/$APP_ID.desktop" "$metainfo/$APP_ID.metainfo.xml" "$icons/scalable/apps/$APP_ID.svg"
    for size in $SIZES; do
        rm -f "$icons/${size}x${size}/apps/$APP_ID.png"
    done
    if [ -d "$apps" ] && [ -d "$icons" ]; then
        refresh_caches
    fi
    printf 'Removed %s from %s\n' "$APP_ID" "$data_home"
}

# Quote a path for a .desktop Exec line (Desktop Entry spec, "The Exec key").
exec_quote() {
    case $1 in
        *[\"\`\$\\]* | *'
'*) die "the entry point's path contains a quote, backquote, dollar, backslash or newline: $1" ;;
    esac
    # A literal percent sign is written %% in Exec.
    escaped=$(printf '%s' "$1" | sed 's/%/%%/g')
    case $escaped in
        *[[:space:]\'\>\<\~\|\&\;\*\?\#\(\)]*) printf '"%s"' "$escaped" ;;
        *) printf '%s' "$escaped" ;;
    esac
}

install_files() {
    entry=${1:-"$repo/.venv/bin/reviewapp"}
    case $entry in
        /*) ;;
        *) entry="$(pwd)/$entry" ;;
    esac
    [ -f "$entry" ] && [ -x "$entry" ] \
        || die "no executable entry point at $entry: run 'pip install -e .' in the venv first, or pass its bin/reviewapp"
    for f in "$APP_ID.desktop" "$APP_ID.metainfo.xml" "icons/$APP_ID.svg"; do
        [ -f "$resources/$f" ] || die "missing $resources/$f: is this a complete checkout?"
    done

    exec_value=$(exec_quote "$entry")
    mkdir -p "$apps" "$metainfo" "$icons/scalable/apps"
    tmp="$apps/.$APP_ID.desktop.tmp"
    # Exec points at this venv; TryExec hides the entry if the venv is deleted later.
    sed -e "s|^Exec=.*|Exec=$(printf '%s' "$exec_value" | sed 's/[|&\\]/\\&/g')|" \
        -e "/^Exec=/a\\
TryExec=$(printf '%s' "$entry" | sed 's/[|&\\]/\\&/g')" \
        "$resources/$APP_ID.desktop" >"$tmp"
    chmod 644 "$tmp"
    mv -f "$tmp" "$apps/$APP_ID.desktop"

    cp "$resources/$APP_ID.metainfo.xml" "$metainfo/$APP_ID.metainfo.xml"
    cp "$resources/icons/$APP_ID.svg" "$icons/scalable/apps/$APP_ID.svg"
    for size in $SIZES; do
        src="$resources/icons/hicolor/${size}x${size}/apps/$APP_ID.png"
        [ -f "$src" ] || die "missing $src: run packaging/render_icons.py"
        mkdir -p "$icons/${size}x${size}/apps"
        cp "$src" "$icons/${size}x${size}/apps/$APP_ID.png"
    done
    refresh_caches
    printf 'Installed %s for %s into %s\n' "$APP_ID" "$entry" "$data_home"
}

case ${1:-} in
    -h | --help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' ;;
    --uninstall) uninstall ;;
    -*) die "unknown option $1 (use --help)" ;;
    *) install_files "${1:-}" ;;
esac
