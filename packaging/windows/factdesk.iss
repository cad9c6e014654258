; Inno Setup script: installs dist\factdesk\ for the current user (no administrator needed), with
; a Start menu entry and .fdb boards opening in factdesk on double-click.
; iscc /DVersion=0.1.0 packaging\windows\factdesk.iss     (packaging\windows\build.ps1 runs it)
; NOT TRIED: written on Linux.
#ifndef Version
  #define Version "0.0.0"
#endif

[Setup]
AppId={{6C0F7E52-8E0B-4B7E-9C55-2E7F4C1F0D14}
AppName=factdesk
AppVersion={#Version}
AppPublisher=factdesk developers
DefaultDirName={autopf}\factdesk
DefaultGroupName=factdesk
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=factdesk-{#Version}-windows-x64-setup
Compression=lzma2
SolidCompression=yes
ChangesAssociations=yes
UninstallDisplayIcon={app}\factdesk.exe

[Files]
Source: "..\..\dist\factdesk\*"; DestDir: "{app}"; Flags: recursesubdirs createallsubdirs ignoreversion

[Icons]
Name: "{autoprograms}\factdesk"; Filename: "{app}\factdesk.exe"
Name: "{autodesktop}\factdesk"; Filename: "{app}\factdesk.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "Create a desktop shortcut"; Flags: unchecked

[Registry]
Root: HKA; Subkey: "Software\Classes\.fdb"; ValueType: string; ValueName: ""; ValueData: "factdesk.board"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\factdesk.board"; ValueType: string; ValueName: ""; ValueData: "factdesk evidence board"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\factdesk.board\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\factdesk.exe,0"
Root: HKA; Subkey: "Software\Classes\factdesk.board\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\factdesk.exe"" open ""%1"""

[Run]
Filename: "{app}\factdesk.exe"; Description: "Start factdesk"; Flags: nowait postinstall skipifsilent
