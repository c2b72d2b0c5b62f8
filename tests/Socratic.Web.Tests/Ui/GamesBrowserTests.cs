// A person's view of the Games page and designer, in a real Chromium against the real host (web + worker) and
// PostgreSQL: a researcher authors a game in the designer, presses Try it and watches the episode's tokens
// arrive; the game shows up in the library; an observer is refused the designer. Screenshots go to test-output/.
using Microsoft.Playwright;
using Socratic.Core.Data;
using Socratic.Web.Tests.Infrastructure;

namespace Socratic.Web.Tests.Ui;

[Collection(PostgresCollection.Name)]
public sealed class GamesBrowserTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Researcher_authors_a_game_presses_Try_it_and_sees_tokens_arrive_and_an_observer_is_refused_the_designer()
    {
        var (app, address) = await SocraticApp.StartOnPortAsync(postgres, "ui_games_browser",
            new Dictionary<string, string?> { ["Inference:ContextSize"] = "2048", ["Inference:Threads"] = "1" });
        await using var _ = app;
        await app.TokenAsync(Roles.Researcher); // creates researcher@test.local
        await app.TokenAsync(Roles.Observer);
        var (playwright, browser) = await Browser.LaunchAsync();
        using var __ = playwright;
        await using var ___ = browser;
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var console = new List<string>();
        page.Console += (_, m) => console.Add(m.Text);

        await Browser.SignInAsync(page, address, "researcher@test.local", SocraticApp.Password, "/games");
        await page.WaitForSelectorAsync(".games-empty", new() { Timeout = 30_000 });
        await page.ScreenshotAsync(new() { Path = Browser.ScreenshotPath("games-empty.png"), FullPage = true });

        await page.ClickAsync("#new-game");
        var name = page.Locator(".mud-input-control:has(label:text-is('Name')) input");
        await name.WaitForAsync(new() { Timeout = 30_000 });
        await page.WaitForSelectorAsync(".designer-live", new() { State = WaitForSelectorState.Attached, Timeout = 30_000 });
        await page.WaitForSelectorAsync(".validation-summary >> text=a game needs a name");
        await name.FillAsync("Browser game");
        var maxTurns = page.Locator(".mud-input-control:has(label:text-is('Max turns')) input");
        await maxTurns.FillAsync("12");
        await maxTurns.BlurAsync();
        await page.WaitForSelectorAsync(".validation-summary", new() { State = WaitForSelectorState.Detached, Timeout = 10_000 });
        await page.ClickAsync("#try-it");
        try
        {
            await page.WaitForSelectorAsync(".try-it .turn-text:not(:empty)", new() { Timeout = 60_000 });
        }
        catch (TimeoutException)
        {
            await page.ScreenshotAsync(new() { Path = Browser.ScreenshotPath("designer-try-failed.png"), FullPage = true });
            throw new TimeoutException("No token arrived. Browser console:\n" + string.Join("\n", console));
        }

        // Tokens arrive while the episode plays: the panel's text grows between two reads before the run ends.
        var early = await page.InnerTextAsync(".try-it");
        await page.WaitForFunctionAsync("t => document.querySelector('.try-it').innerText !== t", early, new() { Timeout = 60_000 });
        await page.ScreenshotAsync(new() { Path = Browser.ScreenshotPath("designer-try-it.png"), FullPage = true });
        Assert.Matches(@"/games/\d+/edit(\?|$)", page.Url); // the new game moved to its edit address, Try it still running
        await page.WaitForSelectorAsync(".try-status >> text=Completed", new() { Timeout = 120_000 });
        await page.ScreenshotAsync(new() { Path = Browser.ScreenshotPath("designer-played.png"), FullPage = true });

        await page.GotoAsync(new Uri(address, "/games").ToString());
        await page.WaitForSelectorAsync(".game-card >> text=Browser game");
        Assert.Equal("100.0%", (await page.InnerTextAsync(".game-card .mix-share")).Trim());
        await page.ScreenshotAsync(new() { Path = Browser.ScreenshotPath("games.png"), FullPage = true });
        await page.SetViewportSizeAsync(390, 844);
        await page.ScreenshotAsync(new() { Path = Browser.ScreenshotPath("games-phone.png"), FullPage = true });

        var observer = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 390, Height = 844 } });
        await Browser.SignInAsync(observer, address, "observer@test.local", SocraticApp.Password, "/games/new");
        await observer.WaitForSelectorAsync("text=Your account may not open that page", new() { Timeout = 30_000 });
        Assert.Contains("/denied", observer.Url, StringComparison.Ordinal);
        await observer.ScreenshotAsync(new() { Path = Browser.ScreenshotPath("designer-observer-denied.png"), FullPage = true });
    }
}
