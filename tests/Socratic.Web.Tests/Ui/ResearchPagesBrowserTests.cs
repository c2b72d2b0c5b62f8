// A person's view of the Runs, Transcripts, Policies, Decisions and Admin pages in a real Chromium against the real
// host, PostgreSQL and the tiny story model: a researcher starts a run from the Runs page and finds its episode in
// Transcripts by full-text search; an admin approves a decision; an observer watches the arena but cannot start a
// run; an observer filters the dashboards and downloads their CSV and a dataset. Each step leaves a screenshot in
// test-output/ (some at phone width).
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Socratic.Core.Data;
using Socratic.Core.MetaCritic;
using Socratic.Web.Tests.Infrastructure;
using Socratic.Web.Tests.Play;

namespace Socratic.Web.Tests.Ui;

[Collection(PostgresCollection.Name)]
public sealed partial class ResearchPagesBrowserTests(PostgresFixture postgres)
{
    private static readonly Dictionary<string, string?> Settings = new() { ["Inference:ContextSize"] = "1024", ["Inference:Threads"] = "1" };

    [Fact]
    public async Task Researcher_starts_a_run_on_the_Runs_page_and_finds_its_episode_in_Transcripts()
    {
        var (app, address) = await SocraticApp.StartOnPortAsync(postgres, "ui_runs", Settings);
        await using var _ = app;
        var api = await app.ClientAsync(Roles.Researcher);
        await SelfPlayApiTests.CreateGameAsync(api, TestGames.Story("Browser game", maxTurns: 2, maxTokens: 24));
        var (playwright, browser) = await Browser.LaunchAsync();
        using var __ = playwright;
        await using var ___ = browser;
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        await SignInAsync(page, address, "researcher@test.local", "/runs");

        await WhenInteractiveAsync(page, () => page.GetByText("Browser game v1").ClickAsync(), ".run-start:not([disabled])");
        await page.FillAsync(".run-episodes input", "1");
        await page.FillAsync(".run-seed input", "5");
        await page.ClickAsync(".run-start");
        await page.WaitForSelectorAsync(".runs-table tr[data-run] >> text=Completed", new() { Timeout = 120_000 });
        await Shot(page, "runs.png");

        await using var db = app.Db();
        var episode = await db.Episodes.Include(e => e.Turns).SingleAsync();
        Assert.Equal(5, await db.Runs.Select(r => r.Seed).SingleAsync());
        var word = "";
        foreach (var w in Words().Matches(string.Join(' ', episode.Turns.Select(t => t.Text))).Select(m => m.Value).OrderByDescending(w => w.Length))
        {
            // A stop word ("through") is not in the index; take the longest word PostgreSQL keeps.
            if (await db.Database.SqlQuery<bool>($"select to_tsvector('english', {w}) <> ''::tsvector as \"Value\"").SingleAsync())
            {
                word = w;
                break;
            }
        }

        Assert.NotEqual("", word);

        await page.GotoAsync(new Uri(address, "/transcripts").ToString());
        await WhenInteractiveAsync(page, async () =>
        {
            await page.FillAsync(".transcript-search input", word);
            await page.PressAsync(".transcript-search input", "Enter");
        }, $".transcripts-table tr[data-episode='{episode.Id}']");
        await Shot(page, "transcripts.png");
        // A word no turn contains finds nothing, and the page says what to do.
        await page.FillAsync(".transcript-search input", "zzyzzx");
        await page.PressAsync(".transcript-search input", "Enter");
        await page.WaitForSelectorAsync(".transcripts-empty");

        await page.GotoAsync(new Uri(address, $"/transcripts/{episode.Id}").ToString());
        // The prerendered page is replaced by the live one, which loads again: wait for the text, not the first paint.
        var opening = episode.Turns[0].Text.Trim()[..Math.Min(15, episode.Turns[0].Text.Trim().Length)];
        await page.WaitForFunctionAsync("t => [...document.querySelectorAll('.turn-text')].some(e => e.innerText.includes(t))", opening);
        Assert.Contains("grounded", await page.InnerTextAsync(".scores-table"), StringComparison.Ordinal);
        await Shot(page, "transcript.png");
        await page.SetViewportSizeAsync(390, 844);
        await Shot(page, "transcript-phone.png");
    }

    [Fact]
    public async Task Admin_approves_a_decision_and_it_moves_to_the_history()
    {
        var (app, address) = await SocraticApp.StartOnPortAsync(postgres, "ui_decisions", Settings);
        await using var _ = app;
        long decisionId;
        long gameId;
        await using (var db = app.Db())
        {
            gameId = (await TestData.GameAsync(db, "Story")).GameId;
            decisionId = (await TestData.DecisionAsync(db, "Game 'Story' scores rose 40% while held-out accuracy fell: likely exploited.",
                """{"meanScore": {"before": 0.41, "after": 0.83}, "heldOutAccuracy": 0.12, "episodes": [1, 2]}""", DecisionKind.PauseGame, $$"""{"gameId": {{gameId}}}""")).Id;
            var root = await TestData.PolicyAsync(db, "stories260K");
            await TestData.PolicyAsync(db, "stories260K-g1-run1", generation: 1, parentId: root.Id);
        }

        var (playwright, browser) = await Browser.LaunchAsync();
        using var __ = playwright;
        await using var ___ = browser;
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        await SignInAsync(page, address, SocraticApp.AdminEmail, "/decisions");
        Assert.Contains("heldOutAccuracy", await page.InnerTextAsync(".evidence"), StringComparison.Ordinal);
        await Shot(page, "decisions-proposed.png");

        await WhenInteractiveAsync(page, () => page.FillAsync(".decision-comment textarea", "Agreed: pause it and add a grounded check."), ".decision-comment textarea");
        await page.ClickAsync(".decision-approve");
        await page.WaitForSelectorAsync($".decisions-history tr[data-decision='{decisionId}'] >> text=Applied");
        await Shot(page, "decisions-history.png");

        await using (var db = app.Db())
        {
            var stored = await db.Decisions.SingleAsync();
            Assert.Equal((DecisionStatus.Applied, SocraticApp.AdminEmail), (stored.Status, stored.DecidedBy));
            Assert.Equal(["decision.applied", "decision.approved"], await db.AuditLog.Where(a => a.EntityType == "Decision").Select(a => a.Action).OrderBy(a => a).ToListAsync());
            Assert.False((await db.Games.SingleAsync(g => g.Id == gameId)).Enabled); // approving the pause paused the game
        }

        await page.GotoAsync(new Uri(address, "/policies").ToString());
        await page.WaitForSelectorAsync(".policy-node >> text=stories260K-g1-run1");
        await Shot(page, "policies.png");
        await page.GotoAsync(new Uri(address, "/admin").ToString());
        await page.WaitForSelectorAsync($".users-table >> text={SocraticApp.AdminEmail}");
        Assert.Contains(SocraticApp.AdminEmail, await page.InnerTextAsync(".users-table"), StringComparison.Ordinal);
        await Shot(page, "admin.png");
    }

    [Fact]
    public async Task Observer_watches_the_live_arena_and_cannot_start_a_run()
    {
        var (app, address) = await SocraticApp.StartOnPortAsync(postgres, "ui_observer", Settings);
        await using var _ = app;
        var api = await app.ClientAsync(Roles.Researcher);
        var gameId = await SelfPlayApiTests.CreateGameAsync(api, TestGames.Story("Observed game", maxTurns: 4, maxTokens: 48));
        await app.TokenAsync(Roles.Observer); // creates the observer
        var (playwright, browser) = await Browser.LaunchAsync();
        using var __ = playwright;
        await using var ___ = browser;
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        await SignInAsync(page, address, "observer@test.local", "/runs");

        Assert.Equal(0, await page.Locator(".run-start").CountAsync());
        Assert.Contains("needs the Researcher role", await page.InnerTextAsync("body"), StringComparison.Ordinal);
        await Shot(page, "runs-observer.png");

        var runId = await SelfPlayApiTests.StartRunAsync(api, new { gameId, episodes = 1, seed = 3 });
        await page.GotoAsync(new Uri(address, $"/arena?run={runId}").ToString());
        await page.WaitForSelectorAsync(".turn-text", new() { Timeout = 60_000 });
        await Shot(page, "arena-observer.png");
        await app.WaitForRunAsync(runId, TimeSpan.FromMinutes(2));

        // The admin page is refused to an observer on the server: it lands on /denied.
        await page.GotoAsync(new Uri(address, "/admin").ToString());
        Assert.Contains("/denied", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Observer_filters_the_dashboards_downloads_their_csv_and_reads_them_on_a_phone()
    {
        var (app, address) = await SocraticApp.StartOnPortAsync(postgres, "ui_dashboards_browser", Settings);
        await using var _ = app;
        await using (var db = app.Db())
        {
            await Dashboards.DashboardSeed.SeedAsync(db);
            await Core.Training.DatasetStore.StoreAsync(db, "uploaded", Core.Training.DatasetKind.Chat, Training.DatasetDownloadTests.Chat, "test", DateTimeOffset.UtcNow, default);
        }

        await app.TokenAsync(Roles.Observer); // creates the observer
        var (playwright, browser) = await Browser.LaunchAsync();
        using var __ = playwright;
        await using var ___ = browser;
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 }, AcceptDownloads = true });
        await SignInAsync(page, address, "observer@test.local", "/dashboards");
        await page.WaitForSelectorAsync(".dashboards-chart svg");
        await Shot(page, "dashboards.png");

        await page.WaitForSelectorAsync(".dashboards-live", new() { State = WaitForSelectorState.Attached });
        await WhenInteractiveAsync(page, async () =>
        {
            await page.FillAsync(".dashboards-from input", "1");
            await page.ClickAsync(".dashboards-apply");
        }, ".dashboards-csv-games[href*='from=1']");
        Assert.Equal(0, await page.Locator(".dashboards-games tr[data-generation='0']").CountAsync());
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync(".dashboards-csv-games"));
        var csv = await File.ReadAllTextAsync((await download.PathAsync())!);
        Assert.Equal("socratic-games.csv", download.SuggestedFilename);
        Assert.StartsWith("generation,game_id,game,episodes", csv, StringComparison.Ordinal);
        Assert.Equal(["1", "1"], csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')[0]));

        await page.SetViewportSizeAsync(390, 844);
        await Shot(page, "dashboards-phone.png");
        await page.SetViewportSizeAsync(1280, 900);
        await page.GotoAsync(new Uri(address, "/datasets").ToString());
        await page.WaitForSelectorAsync(".datasets-table >> text=uploaded");
        var jsonl = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync(".dataset-download"));
        Assert.Equal("uploaded-v1.jsonl", jsonl.SuggestedFilename);
        await Shot(page, "datasets.png");
    }

    private static async Task SignInAsync(IPage page, Uri address, string email, string path)
    {
        await page.GotoAsync(new Uri(address, path).ToString());
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", SocraticApp.Password);
        await page.ClickAsync("#signin-submit");
        await page.WaitForURLAsync(new Regex(Regex.Escape(path) + "$"), new() { Timeout = 30_000 });
    }

    // A prerendered page shows before its circuit is connected, and input before that is lost: repeat the action
    // until what it should cause is on the page.
    private static async Task WhenInteractiveAsync(IPage page, Func<Task> action, string expected)
    {
        for (var attempt = 0; ; attempt++)
        {
            await action();
            try
            {
                await page.WaitForSelectorAsync(expected, new() { Timeout = 3_000 });
                return;
            }
            catch (TimeoutException) when (attempt < 10)
            {
            }
        }
    }

    private static Task<byte[]> Shot(IPage page, string name) => page.ScreenshotAsync(new() { Path = Browser.ScreenshotPath(name), FullPage = true });

    [GeneratedRegex("[A-Za-z]{4,}")]
    private static partial Regex Words();
}
