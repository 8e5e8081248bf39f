using System.Text.RegularExpressions;
using Xunit;

namespace GradCam.LiveView.Tests.Docs;

/// <summary>
/// The README and docs/ stay true to the tree: every link and anchor exists, every page is reachable from the README,
/// and every command shown in a <c>console</c> block still parses with the app's own command line.
/// </summary>
public sealed partial class DocsTests
{
    private static readonly string Root = FindRoot();

    public static TheoryData<string> Pages()
    {
        var data = new TheoryData<string>();
        data.Add("README.md");
        foreach (string page in Directory.GetFiles(Path.Combine(Root, "docs"), "*.md").Order())
            data.Add(Path.GetRelativePath(Root, page));
        return data;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void EveryLinkAndAnchorExists(string page)
    {
        string path = Path.Combine(Root, page);
        string text = File.ReadAllText(path);
        var broken = new List<string>();
        foreach (Match m in LinkPattern().Matches(StripCode(text)))
        {
            string target = m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value;
            if (Regex.IsMatch(target, "^[a-z]+:")) continue; // http(s), mailto
            string file = target, anchor = "";
            int hash = target.IndexOf('#');
            if (hash >= 0) (file, anchor) = (target[..hash], target[(hash + 1)..]);
            string resolved = file.Length == 0 ? path : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, file));
            if (!File.Exists(resolved) && !Directory.Exists(resolved)) { broken.Add($"{target}: no such file"); continue; }
            if (anchor.Length > 0 && !Anchors(resolved).Contains(anchor)) broken.Add($"{target}: no heading #{anchor}");
        }
        Assert.True(broken.Count == 0, $"{page}: {string.Join("; ", broken)}");
    }

    [Fact]
    public void EveryDocsPageIsLinkedFromTheReadme()
    {
        string readme = File.ReadAllText(Path.Combine(Root, "README.md"));
        var missing = Directory.GetFiles(Path.Combine(Root, "docs"), "*.md").Select(Path.GetFileName)
                               .Where(name => !readme.Contains($"](docs/{name})")).ToList();
        Assert.True(missing.Count == 0, $"docs pages the README does not link: {string.Join(", ", missing)}");
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void EveryGradcamCommandShownParses(string page)
    {
        var errors = new List<string>();
        foreach (string line in ConsoleCommands(Path.Combine(Root, page)).Where(l => l.StartsWith("gradcam ", StringComparison.Ordinal)))
        {
            string[] words = Arguments(line["gradcam ".Length..]);
            var problems = Problems(words);
            if (problems.Count > 0) errors.Add($"`{line}`: {string.Join("; ", problems)}");
        }
        Assert.True(errors.Count == 0, $"{page}: {string.Join("\n", errors)}");
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void EveryBuildScriptVerbShownExists(string page)
    {
        string script = File.ReadAllText(Path.Combine(Root, "build.sh"));
        var verbs = CaseVerbs().Matches(script).Select(m => m.Groups[1].Value).ToHashSet();
        var unknown = ConsoleCommands(Path.Combine(Root, page)).Where(l => l.StartsWith("./build.sh ", StringComparison.Ordinal))
                                                                .Select(l => l.Split(' ')[1]).Where(v => !verbs.Contains(v)).ToList();
        Assert.True(unknown.Count == 0, $"{page}: ./build.sh has no verb {string.Join(", ", unknown)}");
    }

    /// <summary>The parser's errors, and every <c>--option</c> the command does not have (a command taking many arguments would take it as one).</summary>
    private static List<string> Problems(string[] words)
    {
        var parse = Program.CreateRoot().Parse(words);
        var problems = parse.Errors.Select(e => e.Message).ToList();
        var known = new HashSet<string>(StringComparer.Ordinal);
        for (var c = parse.CommandResult; c is not null; c = c.Parent as System.CommandLine.Parsing.CommandResult)
            foreach (var option in c.Command.Options)
                known.UnionWith(option.Aliases.Append(option.Name));
        problems.AddRange(words.Where(w => w.StartsWith("--", StringComparison.Ordinal)).Select(w => w.Split('=')[0])
                               .Where(w => !known.Contains(w)).Select(w => $"{parse.CommandResult.Command.Name} has no option {w}"));
        return problems;
    }

    [Fact]
    public void TheChecksCanFail()
    {
        Assert.Contains("explain has no option --no-such-option", Problems(Arguments("explain a.jpg --no-such-option")));
        Assert.Empty(Problems(Arguments("explain a.jpg --model resnet18 --random-weights")));
        Assert.Contains("the-heading", Anchors(WriteTemp("# The heading\n")));
        Assert.DoesNotContain("other", Anchors(WriteTemp("# The heading\n")));
        Assert.Contains("commands shown", ConsoleCommands(WriteTemp("```console\n$ gradcam commands shown\n```\n")).Single()[8..]);
    }

    /// <summary>The commands of a page's <c>console</c> blocks: the lines after <c>$ </c>, with continuations joined.</summary>
    private static List<string> ConsoleCommands(string path)
    {
        var commands = new List<string>();
        bool inConsole = false;
        string? pending = null;
        foreach (string raw in File.ReadAllLines(path))
        {
            string line = raw.TrimEnd();
            if (line.StartsWith("```", StringComparison.Ordinal)) { inConsole = !inConsole && line == "```console"; continue; }
            if (!inConsole) continue;
            if (pending is not null) { pending += " " + line.TrimStart().TrimEnd('\\').Trim(); }
            else if (line.StartsWith("$ ", StringComparison.Ordinal)) pending = line[2..].TrimEnd('\\').Trim();
            else continue;
            if (!line.EndsWith('\\')) { commands.Add(Regex.Replace(pending!, @"\s+#.*$", "")); pending = null; }
        }
        return commands;
    }

    /// <summary>A shell line's words (double and single quotes group).</summary>
    private static string[] Arguments(string line) =>
        WordPattern().Matches(line).Select(m => m.Value.Trim('"', '\'')).ToArray();

    /// <summary>GitHub's anchors of a Markdown file's headings.</summary>
    private static HashSet<string> Anchors(string path)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        foreach (string line in StripCode(File.ReadAllText(path)).Split('\n'))
        {
            var m = Regex.Match(line, @"^#{1,6}\s+(.*)$");
            if (!m.Success) continue;
            string slug = Regex.Replace(m.Groups[1].Value.Trim().ToLowerInvariant(), @"[^\w\- ]", "").Replace(' ', '-');
            string unique = slug;
            for (int n = 1; !anchors.Add(unique); n++) unique = $"{slug}-{n}";
        }
        return anchors;
    }

    private static string StripCode(string markdown) => Regex.Replace(markdown, "```.*?```", "", RegexOptions.Singleline);

    private static string WriteTemp(string text)
    {
        string path = Path.Combine(Path.GetTempPath(), $"gradcam-docs-{Guid.NewGuid():N}.md");
        File.WriteAllText(path, text);
        return path;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "GradCam.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("the repository (GradCam.sln) is not above the test's folder");
    }

    [GeneratedRegex(@"(?<!!)\[[^\]]*\]\(([^)\s]+)\)|!\[[^\]]*\]\(([^)\s]+)\)")]
    private static partial Regex LinkPattern();

    [GeneratedRegex(@"^\s{2}([a-z]+)\)", RegexOptions.Multiline)]
    private static partial Regex CaseVerbs();

    [GeneratedRegex(@"""[^""]*""|'[^']*'|\S+")]
    private static partial Regex WordPattern();
}
