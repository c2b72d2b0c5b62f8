// A person's view of the foundation: sign in through the page, open the live arena while a run plays, and
// watch turns arrive and scores appear — in a real Chromium against the real host and PostgreSQL.
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Socratic.Core.Data;
using Socratic.Web.Tests.Infrastructure;
using Socratic.Web.Tests.Play;

namespace Socratic.Web.Tests.Ui;

[Collection(PostgresCollection.Name)]
public sealed class ArenaBrowserTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Admin_signs_in_and_watches_turns_arrive_live_in_the_arena()
    {
        var (app, address) = await SocraticApp.StartOnPortAsync(postgres, "ui_arena",
            new Dictionary<string, string?> { ["Inference:ContextSize"] = "2048", ["Inference:Threads"] = "1" });
        await using var _ = app;
        var api = await app.ClientAsync(Roles.Researcher);
        var gameId = await SelfPlayApiTests.CreateGameAsync(api, TestGames.Story("Arena game", maxTurns: 12, maxTokens: 64));
        var (playwright, browser) = await Browser.LaunchAsync();
        using var __ = playwright;
        await using var ___ = browser;
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });

        // Not signed in: the arena sends us to the sign-in page.
        await page.GotoAsync(new Uri(address, "/arena").ToString());
        Assert.Contains("/signin", page.Url, StringComparison.Ordinal);
        await page.FillAsync("#email", SocraticApp.AdminEmail);
        await page.FillAsync("#password", SocraticApp.Password);
        await page.ClickAsync("#signin-submit");
        try
        {
            await page.WaitForSelectorAsync("text=Live arena", new() { Timeout = 30_000 });
        }
        catch (TimeoutException)
        {
            await page.ScreenshotAsync(new() { Path = Browser.ScreenshotPath("signin-failed.png"), FullPage = true });
            throw;
        }

        var runId = await SelfPlayApiTests.StartRunAsync(api, new { gameId, episodes = 2, seed = 21, concurrency = 2 });
        await page.GotoAsync(new Uri(address, $"/arena?run={runId}").ToString());
        var console = new List<string>();
        page.Console += (_, m) => console.Add(m.Text);
        try
        {
            await page.WaitForSelectorAsync(".turn-text", new() { Timeout = 60_000 });
        }
        catch (TimeoutException)
        {
            await page.ScreenshotAsync(new() { Path = Browser.ScreenshotPath("arena-failed.png"), FullPage = true });
            throw new TimeoutException("No turn appeared. Browser console:\n" + string.Join("\n", console));
        }


        // Text grows while the run plays: two reads of the page, apart in time, differ before the run ends.
        var early = await page.InnerTextAsync(".mud-grid");
        await page.WaitForFunctionAsync("t => document.querySelector('.mud-grid').innerText !== t", early, new() { Timeout = 60_000 });
        await page.ScreenshotAsync(new() { Path = Browser.ScreenshotPath("arena-live.png"), FullPage = true });

        var run = await app.WaitForRunAsync(runId, TimeSpan.FromMinutes(3));
        await page.WaitForFunctionAsync("() => document.body.innerText.includes('= ')", null, new() { Timeout = 30_000 });
        await page.ScreenshotAsync(new() { Path = Browser.ScreenshotPath("arena-scored.png"), FullPage = true });

        await using var db = app.Db();
        var firstTurn = await db.Turns.Where(t => db.Episodes.Any(e => e.Id == t.EpisodeId && e.RunId == runId) && t.Index == 0).Select(t => t.Text).FirstAsync();
        var shown = await page.InnerTextAsync(".mud-grid");
        Assert.Equal(Core.Play.RunStatus.Completed, run.Status);
        Assert.Contains(firstTurn.Trim()[..Math.Min(20, firstTurn.Trim().Length)], shown, StringComparison.Ordinal);
    }
}
