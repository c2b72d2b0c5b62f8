// The game designer (bunit, real host services and PostgreSQL): invalid input shows GameValidator's reason at
// the field and cannot be saved; a valid game saves; editing a played game makes a new version and keeps the
// played one as it was.
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Socratic.Core.Data;
using Socratic.Core.Games;
using Socratic.Web.Components.Pages;
using Socratic.Web.Games;
using Socratic.Web.Tests.Infrastructure;

namespace Socratic.Web.Tests.Ui;

[Collection(PostgresCollection.Name)]
public sealed class GameDesignerTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Invalid_input_shows_the_validators_reason_at_the_field_and_a_valid_game_saves()
    {
        await using var host = await BunitHost.StartAsync(postgres, "ui_designer_validation", Roles.Researcher);
        var cut = host.Context.Render<GameDesigner>();

        // A new game has no name yet: the reason is shown and Save is off.
        cut.WaitForAssertion(() => Assert.Contains("a game needs a name", FieldText(cut, "Name"), StringComparison.Ordinal));
        Assert.True(cut.Find("#save-game").HasAttribute("disabled"));

        BunitHost.Enter(cut, "Max turns", "100");
        BunitHost.Enter(cut, "Turn order", "solver, ghost");
        cut.WaitForAssertion(() =>
        {
            Assert.Contains("maxTurns must be between 0 and 64", FieldText(cut, "Max turns"), StringComparison.Ordinal);
            Assert.Contains("unknown role 'ghost'", FieldText(cut, "Turn order"), StringComparison.Ordinal);
            Assert.Contains("$.protocol.turnOrder[1]", cut.Find(".validation-summary").TextContent, StringComparison.Ordinal);
        });
        Assert.True(cut.Find("#save-game").HasAttribute("disabled"));

        BunitHost.Enter(cut, "Name", "Designed game");
        BunitHost.Enter(cut, "Max turns", "2");
        BunitHost.Enter(cut, "Turn order", "");
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(".validation-summary")));
        await cut.Find("#save-game").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Contains("Saved 'Designed game' as version 1", cut.Find(".designer-message").TextContent, StringComparison.Ordinal));
        await using var db = host.App.Db();
        var version = await db.GameVersions.AsNoTracking().Include(v => v.Game).SingleAsync();
        Assert.Equal("Designed game", version.Game.Name);
        Assert.Equal(2, GameJson.Parse(version.Definition).Protocol.MaxTurns);
    }

    [Fact]
    public async Task Editing_a_played_game_saves_a_new_version_and_keeps_the_played_one()
    {
        await using var host = await BunitHost.StartAsync(postgres, "ui_designer_versions", Roles.Researcher);
        var library = host.App.Services.CreateScope().ServiceProvider.GetRequiredService<GameLibrary>();
        var saved = await library.SaveAsync(BunitHost.User(Roles.Researcher), TestGames.Story("Played game", maxTurns: 2), null, CancellationToken.None);
        await using (var db = host.App.Db())
        {
            // What RunPlayer does when a version's first episode is played.
            await db.GameVersions.Where(v => v.Id == saved.VersionId).ExecuteUpdateAsync(s => s.SetProperty(v => v.Locked, true));
        }

        var cut = host.Context.Render<GameDesigner>(p => p.Add(d => d.Id, saved.GameId));
        cut.WaitForAssertion(() => Assert.Contains("played: saving makes v2", cut.Find(".designer-version").TextContent, StringComparison.Ordinal));

        BunitHost.Enter(cut, "Max turns", "3");
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(".validation-summary")));
        await cut.Find("#save-game").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Contains("as version 2", cut.Find(".designer-message").TextContent, StringComparison.Ordinal));
        await using var check = host.App.Db();
        var versions = await check.GameVersions.AsNoTracking().Where(v => v.GameId == saved.GameId).OrderBy(v => v.Version).ToListAsync();
        Assert.Equal([1, 2], versions.Select(v => v.Version));
        Assert.Equal(2, GameJson.Parse(versions[0].Definition).Protocol.MaxTurns);
        Assert.Equal(3, GameJson.Parse(versions[1].Definition).Protocol.MaxTurns);
        Assert.True(versions[0].Locked);
    }

    // The text of a field's whole control: its input, helper and error text.
    private static string FieldText(IRenderedComponent<GameDesigner> cut, string label) =>
        cut.FindAll(".mud-input-control").First(c => c.QuerySelector("label")?.TextContent.Trim() == label).TextContent;
}
