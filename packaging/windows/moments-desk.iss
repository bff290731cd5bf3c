; Inno Setup 6 script: a per-user Windows installer for Moments Desk (朋友圈卖货台).
;
; Build the one-folder bundle first, on Windows, from the repository root:
;     make bundle            (or: .venv\Scripts\pyinstaller --noconfirm --clean build.spec)
; then compile this script (Inno Setup 6.4 or newer ships ChineseSimplified.isl):
;     iscc packaging\windows\moments-desk.iss
; which writes dist\installer\MomentsDesk-Setup-<version>.exe. The version comes from the
; bundle's moments-desk.exe (build.spec stamps it from pyproject.toml); override it with
;     iscc /DAppVersion=0.1.0 packaging\windows\moments-desk.iss
;
; No administrator rights: the app goes to %LOCALAPPDATA%\Programs\Moments Desk. The shop's
; data lives elsewhere, in %LOCALAPPDATA%\MomentsDesk, and uninstalling never touches it.

#define AppName "Moments Desk"
#define AppNameZh "朋友圈卖货台"
#define AppExe "moments-desk.exe"
#define BundleDir AddBackslash(SourcePath) + "..\..\dist\moments-desk"
#ifndef AppVersion
  #define AppVersion GetVersionNumbersString(BundleDir + "\" + AppExe)
#endif
#if AppVersion == ""
  #error "dist\moments-desk\moments-desk.exe not found or has no version: run `make bundle` first"
#endif

[Setup]
; Keep AppId for ever: it is how Windows knows a new version upgrades the old one.
AppId={{BB772392-7A73-421C-ABF0-614377A9B448}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppName}
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
VersionInfoDescription={#AppName} {#AppNameZh} Setup
; Per-user install, no UAC prompt: {userpf} is %LOCALAPPDATA%\Programs.
PrivilegesRequired=lowest
DefaultDirName={userpf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
UsePreviousAppDir=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
SetupIconFile=..\..\resources\icons\app.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} {#AppNameZh}
OutputDir=..\..\dist\installer
OutputBaseFilename=MomentsDesk-Setup-{#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; Close a running Moments Desk before replacing its files (it holds a lock on its data folder
; and reopens cleanly; the database is never half-written because every change is a transaction).
CloseApplications=yes
RestartApplications=no
ShowLanguageDialog=auto

[Languages]
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
chinesesimplified.ShortcutName=朋友圈卖货台
english.ShortcutName=Moments Desk
chinesesimplified.DataKept=你的小店数据保存在 %1，没有删除。重新安装后会自动打开原来的数据；不再需要时可以手动删除该文件夹。
english.DataKept=Your shop data in %1 was kept. Reinstall to pick it up again, or delete that folder yourself if you no longer need it.

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
; The whole one-folder bundle; files left over from an older version are removed first.
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{cm:ShortcutName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Comment: "{#AppName}"
Name: "{autodesktop}\{cm:ShortcutName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{cm:ShortcutName}}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] for the data folder on purpose: only the program's own files go.

[Code]
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  DataDir: String;
begin
  if CurUninstallStep = usPostUninstall then
  begin
    DataDir := ExpandConstant('{localappdata}\MomentsDesk');
    if DirExists(DataDir) and not UninstallSilent then
      MsgBox(FmtMessage(CustomMessage('DataKept'), [DataDir]), mbInformation, MB_OK);
  end;
end;
