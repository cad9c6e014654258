# Windows: dist\factdesk\ (factdesk.exe for the window, factdesk-cli.exe for the command line)
# and dist\factdesk-VERSION-windows-x64-setup.exe, from the repository root:
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1
# NOT TRIED: written on Linux. Needs Python 3.11+ and Inno Setup 6 (iscc.exe on PATH).
# The spec is the Linux one (packaging\factdesk.spec); the installer is packaging\windows\factdesk.iss.
$ErrorActionPreference = "Stop"
$version = (Select-String -Path factdesk\__init__.py -Pattern '__version__ = "(.*)"').Matches[0].Groups[1].Value
py -3 -m venv .venv-package
.venv-package\Scripts\pip install -q -e ".[package]"
.venv-package\Scripts\python -m PyInstaller --noconfirm packaging\factdesk.spec
iscc /DVersion=$version packaging\windows\factdesk.iss
Write-Host "build: dist\factdesk-$version-windows-x64-setup.exe (sign it with signtool before handing it out)"
