#!/usr/bin/env pwsh
<#
.SYNOPSIS
  GradCam build entry point for Windows (and PowerShell 7 anywhere): the same verbs as build.sh.
.DESCRIPTION
  ./build.ps1 demo    check prerequisites, build, run the dashcam investigation (-Only render: just render the drive)
  ./build.ps1 test    check prerequisites, build, pack, run every test
  ./build.ps1 bench   check prerequisites, build (Release), run the benchmarks
  ./build.ps1 pack    build the NuGet packages (GradCam, GradCam.MLNet, GradCam.Video, GradCam.Fleet, GradCam.Onnx, GradCam.OnnxRuntime, GradCam.Tool) into artifacts/
  ./build.ps1 prereqs only check the prerequisites
  On Windows it needs the .NET 10 SDK and the Visual C++ 2015-2022 runtime (x64); nothing is installed for you.
  On Linux it asks build.sh for Debian's native packages. PowerShell itself: `dotnet tool restore` then `dotnet pwsh build.ps1 ...`.
#>
param(
    [Parameter(Position = 0)][ValidateSet('demo', 'test', 'bench', 'pack', 'prereqs')][string]$Command,
    # demo: run only this step (render: the drive and its truth; investigate: the report).
    [ValidateSet('render', 'investigate')][string]$Only,
    [Parameter(ValueFromRemainingArguments = $true)][string[]]$Rest = @()
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
Set-Location $PSScriptRoot
$Config = if ($env:CONFIG) { $env:CONFIG } else { 'Release' }

function Log([string]$Message) { [Console]::Error.WriteLine("[build] $Message") }
function Die([string]$Message) { [Console]::Error.WriteLine("[build] error: $Message"); exit 1 }

# Runs a native command and stops the script when it fails.
function Invoke([string]$File, [string[]]$Arguments) {
    & $File @Arguments
    if ($LASTEXITCODE -ne 0) { Die "$File $($Arguments -join ' ') failed (exit $LASTEXITCODE)" }
}

function Prereqs {
    if (-not (Get-Command dotnet -ErrorAction SilentlyContinue)) { Die '.NET SDK 10 is required (https://dot.net)' }
    if ($IsWindows) {
        # libtorch (TorchSharp) and OpenCV's native DLLs link against the Visual C++ runtime.
        if (-not (Test-Path (Join-Path $env:SystemRoot 'System32\vcruntime140_1.dll'))) {
            Die 'the Visual C++ 2015-2022 runtime (x64) is missing: install https://aka.ms/vs/17/release/vc_redist.x64.exe'
        }
    }
    elseif ($IsLinux) {
        # The apt steps (a newer libstdc++ for TorchSharp, GTK for OpenCV) live in build.sh, once.
        Invoke 'bash' @('./build.sh', 'prereqs')
    }
}

# Builds the solution, or only the project a verb needs (and what it references).
function Build([string]$Configuration = $Config, [string]$Project = 'GradCam.sln') {
    Log "restoring and building $Project ($Configuration)"
    Invoke 'dotnet' @('build', $Project, '-c', $Configuration, '-nologo', '-v:q', '-clp:NoSummary')
}

function Pack {
    Log 'packing into artifacts/ (the libraries and the gradcam .NET tool)'
    if (Test-Path artifacts) { Remove-Item -Recurse -Force artifacts }
    foreach ($project in Get-ChildItem src -Filter *.csproj -Recurse) {
        # The tool's RID-specific package (GradCam.Tool.win-x64 or .linux-x64) is built for its RID by the pack itself.
        $build = if ($project.Name -eq 'GradCam.LiveView.csproj') { @() } else { @('--no-build') }
        Invoke 'dotnet' (@('pack', $project.FullName, '-c', 'Release') + $build + @('-o', (Join-Path $PSScriptRoot 'artifacts'), '-nologo', '-v:q'))
    }
    Get-ChildItem artifacts -Filter *.nupkg | ForEach-Object { [Console]::Error.WriteLine("  $($_.Name)") }
}

function Demo {
    $dashcam = Join-Path $PSScriptRoot "samples/dashcam/bin/$Config/net10.0/dashcam.dll"
    $out = if ($env:OUT) { $env:OUT } else { 'demo-out' }
    New-Item -ItemType Directory -Force $out | Out-Null
    $drive = Join-Path $out 'drive.mp4'
    $truth = Join-Path $out 'truth.json'
    if (-not $Only -or $Only -eq 'render') {
        Invoke 'dotnet' @($dashcam, 'render-drive', '--seed', '7', '--out', $drive, '--truth', $truth)
    }
    if (-not $Only -or $Only -eq 'investigate') {
        Invoke 'dotnet' (@($dashcam, 'investigate', $drive, '--model', 'shortcut', '--compare', 'honest', '--truth', $truth,
                           '--out', (Join-Path $out 'investigation')) + $Rest)
        Write-Host "demo: open $(Join-Path $out 'investigation/report.html') (annotated video: $(Join-Path $out 'investigation/annotated.mp4'))"
    }
}

function Test {
    Log 'running tests'
    $results = New-TemporaryFile
    # One test assembly at a time: they are CPU-heavy and some measure timing.
    & dotnet test GradCam.sln -c $Config --no-build -nologo -v:q -m:1 @Rest | Tee-Object -FilePath $results
    $status = $LASTEXITCODE
    $passed = 0; $failed = 0
    foreach ($line in Get-Content $results) {
        if ($line -match 'Failed:\s+(\d+),\s+Passed:\s+(\d+)') { $failed += [int]$Matches[1]; $passed += [int]$Matches[2] }
    }
    Remove-Item $results
    Write-Host "tests: $passed passed, $failed failed"
    exit $status
}

switch ($Command) {
    'prereqs' { Prereqs }
    'pack' { Prereqs; $Config = 'Release'; Build 'Release' 'src/GradCam.LiveView/GradCam.LiveView.csproj'; Pack } # the tool references every library
    'test' { $env:NEED_XVFB = '1'; Prereqs; Build; if ($Config -eq 'Release') { Pack }; Test }
    'demo' { Prereqs; Build $Config 'samples/dashcam/Dashcam.csproj'; Demo }
    'bench' {
        Prereqs; Build
        Log 'running benchmarks (results in bench/results/)'
        Invoke 'dotnet' (@('run', '--project', 'bench/GradCam.Bench', '-c', $Config, '--no-build', '--') + $Rest)
        if ($Rest -notcontains '--only') {
            Log 'dashcam: pointing game of the honest model'
            Invoke 'dotnet' @("samples/dashcam/bin/$Config/net10.0/dashcam.dll", 'pointing', '--model', 'honest', '--out', 'bench/results/dashcam.json')
        }
    }
    default { [Console]::Error.WriteLine('usage: ./build.ps1 demo|test|bench|pack|prereqs'); exit 2 }
}
