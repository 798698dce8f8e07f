"""``planner install-desktop``: a menu entry, an icon and a file type, so "Open with" and double-click work."""

from __future__ import annotations

import argparse

from planner.cli import EXIT_OK


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "install-desktop",
        help="add the editor to the desktop's menu and open org files with it (Linux, in ~/.local/share)",
        description="Install a .desktop entry, an icon and a MIME type for org files under $XDG_DATA_HOME "
        "(default ~/.local/share), for the current user. No root needed.",
    )
    parser.add_argument("--remove", action="store_true", help="remove what an earlier install-desktop added")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from planner import desktop

    if args.remove:
        removed = desktop.uninstall()
        print(f"Removed {len(removed)} file(s)" + "".join(f"\n  {path}" for path in removed))
        return EXIT_OK
    done = desktop.install()
    print("Installed for this user:" + "".join(f"\n  {path}" for path in done.files))
    if done.refreshed:
        print(f"Refreshed with {' and '.join(done.refreshed)}.")
    else:
        print("update-mime-database / update-desktop-database not found: the entry shows after the next login.")
    print(f"Org files open with: {desktop.launch_command()} FILE")
    return EXIT_OK
