; Inno Setup script for counter PCs (most branches run Windows).
; Built by .github/workflows/windows-installer.yml on a Windows runner after
; `python packaging/build.py --selfcheck` has produced dist\frontdesk\ — the same build
; script and spec that the Linux tests run. It cannot run on this project's Linux CI.
;
; Silent install with provisioning (IT's deployment tool):
;   frontdesk-setup.exe /VERYSILENT /SUPPRESSMSGBOXES /BRANCH=BJ0101 /WORKSTATION=W01
;       /HOURL=https://ho.example.invalid /ENROLCODE=7KQM-2HXP-9TRB-4WCN [/DATADIR=D:\frontdesk]
; Without /BRANCH the installer only installs; IT runs `frontdesk init` later.

#define AppVersion GetEnv("FRONTDESK_VERSION")
#if AppVersion == ""
  #define AppVersion "0.0.0"
#endif

[Setup]
AppId={{5E0C9A52-7C1B-4E0B-9E8E-6A3F0B1C2D11}
AppName=Frontdesk 营业厅前台
AppVersion={#AppVersion}
AppPublisher=frontdesk
DefaultDirName={autopf}\Frontdesk
DefaultGroupName=Frontdesk
OutputBaseFilename=frontdesk-setup-{#AppVersion}
Compression=lzma2
SolidCompression=yes
ArchitecturesInstallIn64BitMode=x64compatible
PrivilegesRequired=admin
UninstallDisplayName=Frontdesk 营业厅前台

[Languages]
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Files]
Source: "..\..\dist\frontdesk\*"; DestDir: "{app}"; Flags: recursesubdirs createallsubdirs ignoreversion

[Icons]
Name: "{group}\营业厅前台"; Filename: "{app}\frontdesk.exe"; Parameters: "gui"
Name: "{commondesktop}\营业厅前台"; Filename: "{app}\frontdesk.exe"; Parameters: "gui"

[Run]
; Provisioning runs only when /BRANCH was given; each step's exit code is checked by
; frontdesk itself (non-zero with a message naming the problem).
Filename: "{app}\frontdesk.exe"; Parameters: "--data-dir ""{code:DataDir}"" init --branch {code:Param|BRANCH} --workstation {code:Param|WORKSTATION} --head-office-url ""{code:Param|HOURL}"""; Flags: runhidden waituntilterminated; Check: HasParam('BRANCH')
Filename: "{app}\frontdesk.exe"; Parameters: "--data-dir ""{code:DataDir}"" enrol --code {code:Param|ENROLCODE}"; Flags: runhidden waituntilterminated; Check: HasParam('ENROLCODE')
Filename: "{app}\frontdesk.exe"; Parameters: "--data-dir ""{code:DataDir}"" health"; Flags: runhidden waituntilterminated; Check: HasParam('BRANCH')

[UninstallDelete]
; workstation data (database, keys, archive, backups) is deliberately kept

[Code]
function Param(Name: String): String;
begin
  Result := ExpandConstant('{param:' + Name + '|}');
end;

function HasParam(Name: String): Boolean;
begin
  Result := Param(Name) <> '';
end;

function DataDir(Value: String): String;
begin
  Result := ExpandConstant('{param:DATADIR|{commonappdata}\Frontdesk}');
end;

procedure CurStepChanged(CurStep: TSetupStep);
begin
  { The app finds its machine-wide data folder through data_dir.txt beside the exe. }
  if CurStep = ssPostInstall then
    SaveStringToFile(ExpandConstant('{app}\data_dir.txt'), DataDir(''), False);
end;
