// The one DbContext: Identity plus every record of the loop. Enums are stored as text so the database
// reads on its own; JSON documents are jsonb. Migrations live in migrations/Socratic.Migrations.
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Socratic.Core.Audit;
using Socratic.Core.Campaigns;
using Socratic.Core.Coverage;
using Socratic.Core.Evaluation;
using Socratic.Core.Games;
using Socratic.Core.MetaCritic;
using Socratic.Core.Play;
using Socratic.Core.Policies;
using Socratic.Core.Ratings;
using Socratic.Core.Training;

namespace Socratic.Core.Data;

public sealed class SocraticDbContext(DbContextOptions<SocraticDbContext> options) : IdentityDbContext<SocraticUser>(options)
{
    public const string MigrationsAssembly = "Socratic.Migrations";

    public DbSet<Game> Games => Set<Game>();

    public DbSet<GameVersion> GameVersions => Set<GameVersion>();

    public DbSet<Policy> Policies => Set<Policy>();

    public DbSet<Campaign> Campaigns => Set<Campaign>();

    public DbSet<CampaignGame> CampaignGames => Set<CampaignGame>();

    public DbSet<Generation> Generations => Set<Generation>();

    public DbSet<Run> Runs => Set<Run>();

    public DbSet<RunGame> RunGames => Set<RunGame>();

    public DbSet<Episode> Episodes => Set<Episode>();

    public DbSet<EpisodeRole> EpisodeRoles => Set<EpisodeRole>();

    public DbSet<Turn> Turns => Set<Turn>();

    public DbSet<Score> Scores => Set<Score>();

    public DbSet<Dataset> Datasets => Set<Dataset>();

    public DbSet<DatasetItem> DatasetItems => Set<DatasetItem>();

    public DbSet<TrainingRun> TrainingRuns => Set<TrainingRun>();

    public DbSet<EvaluationResult> EvaluationResults => Set<EvaluationResult>();

    public DbSet<CoverageReport> CoverageReports => Set<CoverageReport>();

    public DbSet<Decision> Decisions => Set<Decision>();

    public DbSet<AuditEntry> AuditLog => Set<AuditEntry>();

    public DbSet<PolicyRating> PolicyRatings => Set<PolicyRating>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<PolicyStatus>().HaveConversion<string>().HaveMaxLength(32);
        configurationBuilder.Properties<RunStatus>().HaveConversion<string>().HaveMaxLength(32);
        configurationBuilder.Properties<EpisodeStatus>().HaveConversion<string>().HaveMaxLength(32);
        configurationBuilder.Properties<CampaignStatus>().HaveConversion<string>().HaveMaxLength(32);
        configurationBuilder.Properties<GenerationStep>().HaveConversion<string>().HaveMaxLength(32);
        configurationBuilder.Properties<GenerationStatus>().HaveConversion<string>().HaveMaxLength(32);
        configurationBuilder.Properties<DatasetKind>().HaveConversion<string>().HaveMaxLength(32);
        configurationBuilder.Properties<TrainingStatus>().HaveConversion<string>().HaveMaxLength(32);
        configurationBuilder.Properties<DecisionKind>().HaveConversion<string>().HaveMaxLength(32);
        configurationBuilder.Properties<DecisionStatus>().HaveConversion<string>().HaveMaxLength(32);
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        builder.Entity<Game>().HasMany(g => g.Versions).WithOne(v => v.Game).HasForeignKey(v => v.GameId).OnDelete(DeleteBehavior.Restrict);
        builder.Entity<Policy>().HasOne(p => p.ParentPolicy).WithMany().HasForeignKey(p => p.ParentPolicyId).OnDelete(DeleteBehavior.Restrict);
        builder.Entity<Policy>().HasOne<Dataset>().WithMany().HasForeignKey(p => p.DatasetId).OnDelete(DeleteBehavior.Restrict);
        builder.Entity<Policy>().HasOne<TrainingRun>().WithMany().HasForeignKey(p => p.TrainingRunId).OnDelete(DeleteBehavior.Restrict);

        builder.Entity<Run>().HasMany(r => r.Games).WithOne().HasForeignKey(g => g.RunId).OnDelete(DeleteBehavior.Cascade);
        builder.Entity<Run>().HasMany(r => r.Episodes).WithOne(e => e.Run).HasForeignKey(e => e.RunId).OnDelete(DeleteBehavior.Cascade);
        builder.Entity<Run>().HasOne<Policy>().WithMany().HasForeignKey(r => r.PolicyId).OnDelete(DeleteBehavior.Restrict);
        builder.Entity<Run>().HasOne<Generation>().WithMany().HasForeignKey(r => r.GenerationId).OnDelete(DeleteBehavior.Restrict);
        builder.Entity<Run>().HasIndex(r => r.Status);
        builder.Entity<Run>().Property(r => r.OpponentPool).HasDefaultValueSql("'{}'"); // runs stored before the opponent pool existed
        builder.Entity<RunGame>().HasOne(g => g.GameVersion).WithMany().HasForeignKey(g => g.GameVersionId).OnDelete(DeleteBehavior.Restrict);
        builder.Entity<Episode>().HasOne(e => e.GameVersion).WithMany().HasForeignKey(e => e.GameVersionId).OnDelete(DeleteBehavior.Restrict);
        builder.Entity<Episode>().HasMany(e => e.Roles).WithOne().HasForeignKey(r => r.EpisodeId).OnDelete(DeleteBehavior.Cascade);
        builder.Entity<Episode>().HasMany(e => e.Turns).WithOne().HasForeignKey(t => t.EpisodeId).OnDelete(DeleteBehavior.Cascade);
        builder.Entity<Episode>().HasMany(e => e.Scores).WithOne().HasForeignKey(s => s.EpisodeId).OnDelete(DeleteBehavior.Cascade);
        builder.Entity<EpisodeRole>().HasOne<Policy>().WithMany().HasForeignKey(r => r.PolicyId).OnDelete(DeleteBehavior.Restrict);
        builder.Entity<Turn>()
            .HasGeneratedTsVectorColumn(t => t.SearchVector, "english", t => new { t.Text })
            .HasIndex(t => t.SearchVector).HasMethod("GIN");

        builder.Entity<CampaignGame>().HasOne<Campaign>().WithMany(c => c.Games).HasForeignKey(g => g.CampaignId).OnDelete(DeleteBehavior.Cascade);
        builder.Entity<CampaignGame>().HasOne<Game>().WithMany().HasForeignKey(g => g.GameId).OnDelete(DeleteBehavior.Restrict);
        builder.Entity<Generation>().HasOne<Campaign>().WithMany().HasForeignKey(g => g.CampaignId).OnDelete(DeleteBehavior.Cascade);
        builder.Entity<Generation>().HasOne<Policy>().WithMany().HasForeignKey(g => g.PolicyId).OnDelete(DeleteBehavior.Restrict);

        builder.Entity<DatasetItem>().HasOne<Dataset>().WithMany().HasForeignKey(i => i.DatasetId).OnDelete(DeleteBehavior.Cascade);
        builder.Entity<TrainingRun>().HasOne<Dataset>().WithMany().HasForeignKey(t => t.DatasetId).OnDelete(DeleteBehavior.Restrict);
        builder.Entity<EvaluationResult>().HasOne<Policy>().WithMany().HasForeignKey(e => e.PolicyId).OnDelete(DeleteBehavior.Cascade);
        builder.Entity<CoverageReport>().HasOne<Generation>().WithMany().HasForeignKey(c => c.GenerationId).OnDelete(DeleteBehavior.Cascade);
        builder.Entity<PolicyRating>().HasOne<Generation>().WithMany().HasForeignKey(r => r.GenerationId).OnDelete(DeleteBehavior.Cascade);
        builder.Entity<PolicyRating>().HasOne<Policy>().WithMany().HasForeignKey(r => r.PolicyId).OnDelete(DeleteBehavior.Restrict);
        builder.Entity<Decision>().HasOne<Campaign>().WithMany().HasForeignKey(d => d.CampaignId).OnDelete(DeleteBehavior.Cascade);
    }
}
