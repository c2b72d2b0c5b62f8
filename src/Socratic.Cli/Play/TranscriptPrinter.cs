// Prints a finished episode: each turn under its role (roles in distinct colours) and the scores.
// Model text is escaped: it is data and must not be read as console markup.
using Socratic.Core.Engine;
using Spectre.Console;

namespace Socratic.Cli.Play;

public static class TranscriptPrinter
{
    private static readonly string[] Colours = ["deepskyblue1", "orange1", "mediumpurple1", "springgreen2", "hotpink"];

    public static void Print(IAnsiConsole console, string title, string taskPrompt, EpisodeResult result, IReadOnlyList<string> roles)
    {
        var body = new List<Spectre.Console.Rendering.IRenderable> { new Markup($"[grey]task:[/] {Markup.Escape(taskPrompt)}") };
        foreach (var turn in result.Turns)
        {
            var colour = Colours[Math.Max(0, IndexOf(roles, turn.Role)) % Colours.Length];
            body.Add(new Markup($"[bold {colour}]{Markup.Escape(turn.Role)}[/] [grey]({turn.CompletionTokens} tok, {turn.Duration.TotalMilliseconds:0} ms)[/]: {Markup.Escape(turn.Text)}"));
        }

        var scores = string.Join("  ", result.Scores.Select(s => $"{s.Role}/{s.Scorer} = {s.Value:0.###}{(s.Grounded ? "" : " (judge)")}"));
        body.Add(new Markup($"[grey]end:[/] {Markup.Escape(result.EndReason)}   [bold]scores:[/] {Markup.Escape(scores)}"));
        console.Write(new Panel(new Rows(body)).Header(Markup.Escape(title)).Expand());
    }

    private static int IndexOf(IReadOnlyList<string> roles, string role)
    {
        for (var i = 0; i < roles.Count; i++)
        {
            if (roles[i] == role)
            {
                return i;
            }
        }

        return -1;
    }
}
