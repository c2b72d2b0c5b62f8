// The Games page (bunit, real host services and PostgreSQL): weight sliders renormalise the mix as they move,
// saving persists weights and pauses, and an observer can change nothing, not even by calling the server.
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Socratic.Core.Data;
using GamesPage = Socratic.Web.Components.Pages.Games;
using Socratic.Web.Games;
using Socratic.Web.Tests.Infrastructure;

namespace Socratic.Web.Tests.Ui;

[Collection(PostgresCollection.Name)]
public sealed class GamesPageTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Moving_a_weight_slider_renormalises_the_mix_at_once_and_saving_persists_it()
    {
        await using var host = await BunitHost.StartAsync(postgres, "ui_games_mix", Roles.Researcher);
        var (a, b, c) = await SeedAsync(host, 1, 1, 2);
        var cut = host.Context.Render<GamesPage>();
        cut.WaitForAssertion(() => Assert.Equal(["25.0%", "25.0%", "50.0%"], Shares(cut, a, b, c)));

        // Awaited: the sync Input/Change only queue the event, and MudBlazor's own work on the renderer's dispatcher
        // can hold it past the assertion on a loaded machine. No save happens in between: the mix moves at once.
        await cut.Find($"[data-game='{c}'] input[type=range]").InputAsync(new ChangeEventArgs { Value = "0" });
        cut.WaitForAssertion(() => Assert.Equal(["50.0%", "50.0%", "0.0%"], Shares(cut, a, b, c)));

        await cut.Find($"[data-game='{a}'] input[type=checkbox]").ChangeAsync(new ChangeEventArgs { Value = false });
        cut.WaitForAssertion(() => Assert.Equal(["0.0%", "100.0%", "0.0%"], Shares(cut, a, b, c)));

        await cut.Find("#save-mix").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.Contains("Saved the mix (2 games changed)", cut.Markup, StringComparison.Ordinal));
        await using var db = host.App.Db();
        var games = await db.Games.AsNoTracking().ToDictionaryAsync(g => g.Id);
        Assert.Equal(0, games[c].Weight);
        Assert.False(games[a].Enabled);
        Assert.True(games[b].Enabled);
        Assert.Equal(1, games[b].Weight);
    }

    [Fact]
    public async Task An_observer_sees_the_mix_but_cannot_change_it_even_by_calling_the_server()
    {
        await using var host = await BunitHost.StartAsync(postgres, "ui_games_observer", Roles.Observer);
        var (a, b, _) = await SeedAsync(host, 1, 3, 0);
        var cut = host.Context.Render<GamesPage>();
        cut.WaitForAssertion(() => Assert.Equal(["25.0%", "75.0%"], Shares(cut, a, b)));

        Assert.All(cut.FindAll("input[type=range]"), s => Assert.True(s.HasAttribute("disabled")));
        Assert.Empty(cut.FindAll("#save-mix, #new-game, #import-file"));
        var library = host.App.Services.CreateScope().ServiceProvider.GetRequiredService<GameLibrary>();
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() =>
            library.SetSettingsAsync(BunitHost.User(Roles.Observer), a, new GameSettings(9, false), CancellationToken.None));
        await using var db = host.App.Db();
        Assert.Equal(1, (await db.Games.SingleAsync(g => g.Id == a)).Weight);
    }

    private static async Task<(long A, long B, long C)> SeedAsync(BunitHost host, double wa, double wb, double wc)
    {
        var library = host.App.Services.CreateScope().ServiceProvider.GetRequiredService<GameLibrary>();
        var admin = BunitHost.User(Roles.Admin);
        var ids = new List<long>();
        foreach (var (name, weight) in new[] { ("Game A", wa), ("Game B", wb), ("Game C", wc) })
        {
            var saved = await library.SaveAsync(admin, TestGames.Story(name), null, CancellationToken.None);
            await library.SetSettingsAsync(admin, saved.GameId, new GameSettings(weight, true), CancellationToken.None);
            ids.Add(saved.GameId);
        }

        return (ids[0], ids[1], ids[2]);
    }

    private static string[] Shares(IRenderedComponent<GamesPage> cut, params long[] games) =>
        [.. games.Select(id => cut.Find($"[data-game='{id}'] .mix-share").TextContent.Trim())];
}
