// The Transcripts page's query against real PostgreSQL: full-text search through the turns' tsvector, the
// filters (game, version, generation, policy, mean score range), paging, and a clear error for a bad range.
using Microsoft.EntityFrameworkCore;
using Socratic.Core.Data;
using Socratic.Web.Api;
using Socratic.Web.Tests.Infrastructure;
using Socratic.Web.Transcripts;

namespace Socratic.Web.Tests.Transcripts;

[Collection(PostgresCollection.Name)]
public sealed class TranscriptSearchTests(PostgresFixture postgres)
{
    private sealed class Factory(string connectionString) : IDbContextFactory<SocraticDbContext>
    {
        public SocraticDbContext CreateDbContext() => new(SocraticDb.Options(connectionString));
    }

    private static async Task<(TranscriptSearch Search, long Dragon, long Castle, long Child, long GameB, long Gen1)> SeedAsync(PostgresFixture postgres)
    {
        var cs = await TestData.MigratedDatabaseAsync(postgres, "transcript_search");
        await using var db = new SocraticDbContext(SocraticDb.Options(cs));
        var a = await TestData.GameAsync(db, "Game A");
        var b = await TestData.GameAsync(db, "Game B");
        var baseline = await TestData.PolicyAsync(db, "base");
        var gen1 = await TestData.PolicyAsync(db, "base-g1", generation: 1, parentId: baseline.Id);
        var dragon = await TestData.EpisodeAsync(db, a, baseline, ["The dragons were sleeping in the cave.", "Why would dragons sleep?"], 1.0, 0.5);
        var castle = await TestData.EpisodeAsync(db, a, baseline, ["A castle stood on the hill."], 0.0);
        var child = await TestData.EpisodeAsync(db, b, gen1, ["A dragon flew over the castle."], 0.8);
        return (new TranscriptSearch(new Factory(cs)), dragon.Id, castle.Id, child.Id, b.GameId, gen1.Id);
    }

    [Fact]
    public async Task Text_search_finds_episodes_by_stemmed_words_and_filters_narrow_them()
    {
        var (search, dragon, castle, child, gameB, gen1) = await SeedAsync(postgres);

        // "dragon" matches "dragons" (english stemming); "castle -dragon" excludes.
        var byWord = await search.FindAsync(new TranscriptFilter { Text = "dragon" }, default);
        var excluding = await search.FindAsync(new TranscriptFilter { Text = "castle -dragon" }, default);
        var inGameB = await search.FindAsync(new TranscriptFilter { Text = "dragon", GameId = gameB }, default);
        var generation1 = await search.FindAsync(new TranscriptFilter { Generation = 1 }, default);
        var byPolicy = await search.FindAsync(new TranscriptFilter { PolicyId = gen1 }, default);
        var highScores = await search.FindAsync(new TranscriptFilter { MinScore = 0.7 }, default);
        var midScores = await search.FindAsync(new TranscriptFilter { MinScore = 0.7, MaxScore = 0.79 }, default);

        Assert.Equal([child, dragon], byWord.Rows.Select(r => r.Id));
        Assert.Equal([castle], excluding.Rows.Select(r => r.Id));
        Assert.Equal([child], inGameB.Rows.Select(r => r.Id));
        Assert.Equal([child], generation1.Rows.Select(r => r.Id));
        Assert.Equal([child], byPolicy.Rows.Select(r => r.Id));
        Assert.Equal([child, dragon], highScores.Rows.Select(r => r.Id)); // means 0.8 and 0.75
        Assert.Equal([dragon], midScores.Rows.Select(r => r.Id));
        Assert.Equal(0.75, byWord.Rows.Single(r => r.Id == dragon).MeanScore);
    }

    [Fact]
    public async Task Pages_split_the_matches_and_count_them_all()
    {
        var (search, dragon, castle, child, _, _) = await SeedAsync(postgres);

        var first = await search.FindAsync(new TranscriptFilter { PageSize = 2, Page = 0 }, default);
        var second = await search.FindAsync(new TranscriptFilter { PageSize = 2, Page = 1 }, default);

        Assert.Equal(3, first.Total);
        Assert.Equal([child, castle], first.Rows.Select(r => r.Id));
        Assert.Equal([dragon], second.Rows.Select(r => r.Id));
    }

    [Fact]
    public async Task An_inverted_score_range_is_refused_naming_the_field()
    {
        var (search, _, _, _, _, _) = await SeedAsync(postgres);

        var error = await Assert.ThrowsAsync<RequestValidationException>(() => search.FindAsync(new TranscriptFilter { MinScore = 1, MaxScore = 0 }, default));

        Assert.Equal("minScore", Assert.Single(error.Errors).Field);
    }
}
