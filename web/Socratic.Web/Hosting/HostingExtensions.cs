// The host's composition, one AddX per concern, so Program.cs reads as a list. The host runs as web, worker or
// both (Socratic:Host:Mode); everything a worker needs is registered in every mode, the Hangfire server and
// the UI/API/hub only where they run.
using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.EntityFrameworkCore;
using Socratic.Core.Data;
using Socratic.Core.Engine;
using Socratic.Core.Games;
using Socratic.Core.Play;
using Socratic.Core.Policies;
using Socratic.Core.Sandbox;
using Socratic.Core.Scoring;
using Socratic.Core.Tasks;
using Socratic.Core.Training;
using Socratic.Inference;
using Socratic.Web.Campaigns;
using Socratic.Web.Games;
using Socratic.Web.Live;
using Socratic.Web.Models;
using Socratic.Web.Play;
using Socratic.Web.Training;

namespace Socratic.Web.Hosting;

public static class HostingExtensions
{
    public static HostOptions GetHostOptions(this IConfiguration configuration) =>
        configuration.GetSection("Socratic:Host").Get<HostOptions>() ?? new HostOptions();

    public static string GetSocraticConnectionString(this IConfiguration configuration) =>
        configuration.GetConnectionString("Socratic") ?? SocraticDb.DefaultConnectionString;

    public static WebApplicationBuilder AddSocraticOptions(this WebApplicationBuilder builder)
    {
        var s = builder.Services;
        var c = builder.Configuration;
        s.Configure<HostOptions>(c.GetSection("Socratic:Host"));
        s.Configure<WorkerOptions>(c.GetSection("Socratic:Worker"));
        s.Configure<HangfireOptions>(c.GetSection("Socratic:Hangfire"));
        s.Configure<ModelsOptions>(c.GetSection("Socratic:Models"));
        s.Configure<AdminOptions>(c.GetSection("Socratic:Admin"));
        s.Configure<DemoOptions>(c.GetSection("Socratic:Demo"));
        s.Configure<LiveOptions>(c.GetSection("Socratic:Live"));
        s.Configure<PlayOptions>(c.GetSection("Socratic:Play"));
        s.Configure<TrainingOptions>(c.GetSection("Socratic:Training"));
        s.Configure<ServingOptions>(c.GetSection("Socratic:Serving"));
        s.AddSingleton(TimeProvider.System);
        return builder;
    }

    public static WebApplicationBuilder AddSocraticDatabase(this WebApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetSocraticConnectionString();
        builder.Services.AddDbContextFactory<SocraticDbContext>(o => SocraticDb.Configure(o, connectionString));
        builder.Services.AddDbContext<SocraticDbContext>(o => SocraticDb.Configure(o, connectionString), optionsLifetime: ServiceLifetime.Singleton);

        // Migrations first: registered before every other hosted service, which start in order.
        builder.Services.AddHostedService<StartupTasks>();
        return builder;
    }

    public static WebApplicationBuilder AddSocraticPlay(this WebApplicationBuilder builder)
    {
        var s = builder.Services;
        // "llama" (default): models run in this process; "remote": an OpenAI-compatible server plays them.
        var backend = builder.Configuration["Inference:Backend"] ?? "llama";
        if (string.Equals(backend, "remote", StringComparison.OrdinalIgnoreCase))
        {
            s.AddSocraticRemoteInference(builder.Configuration);
        }
        else if (string.Equals(backend, "llama", StringComparison.OrdinalIgnoreCase))
        {
            s.AddSocraticInference(o =>
            {
                builder.Configuration.GetSection(InferenceOptions.SectionName).Bind(o);
                o.Threads = o.Threads > 0 ? o.Threads : Environment.ProcessorCount; // 0 = all cores
            });
        }
        else
        {
            throw new InvalidOperationException($"Inference:Backend is '{backend}'; use 'llama' (in-process) or 'remote' (OpenAI-compatible server).");
        }

        // One sandbox per process: its concurrency limit and its once-per-process self-check are shared.
        s.AddSingleton(_ => new PythonSandbox(builder.Configuration.GetSection(SandboxOptions.SectionName).Get<SandboxOptions>() ?? new SandboxOptions()));

        // Judge scorers need the policy provider; "policy": "judge" uses the model configured under Socratic:Judge.
        s.AddSingleton<IScorerFactory>(sp =>
        {
            var judge = builder.Configuration.GetSection("Socratic:Judge").Get<JudgeModelOptions>() ?? new JudgeModelOptions();
            var spec = string.IsNullOrWhiteSpace(judge.Model) ? null : new PolicySpec(judge.Model) { ChatTemplate = judge.ChatTemplate };
            return new ScorerFactory(sp.GetRequiredService<IPolicyProvider>(), new JudgeOptions(spec), sandbox: sp.GetRequiredService<PythonSandbox>());
        });
        s.AddSingleton<ITaskSourceFactory, TaskSourceFactory>();
        s.AddSingleton<GameEngine>();
        s.AddSingleton<ModelCatalog>();
        s.AddScoped<GameCatalog>();
        s.AddScoped<GameLibrary>();
        s.AddSingleton<EpisodeStore>();
        s.AddScoped<RunLauncher>();

        s.AddSingleton<RunPlayer>();
        s.AddTransient<PlayRunJob>();

        s.AddSingleton<TrainingRunner>();
        s.AddScoped<TrainingLauncher>();
        s.AddTransient<TrainingRunJob>();

        s.AddScoped<CampaignLauncher>();
        s.AddTransient<CampaignStepJob>();
        return builder;
    }

    public static WebApplicationBuilder AddSocraticHangfire(this WebApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetSocraticConnectionString();
        var options = builder.Configuration.GetSection("Socratic:Hangfire").Get<HangfireOptions>() ?? new HangfireOptions();
        builder.Services.AddHangfire(cfg => cfg
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UsePostgreSqlStorage(
                b => b.UseNpgsqlConnection(connectionString),
                new PostgreSqlStorageOptions
                {
                    SchemaName = options.Schema,
                    PrepareSchemaIfNecessary = true,
                    InvisibilityTimeout = options.InvisibilityTimeout,
                    UseSlidingInvisibilityTimeout = true,
                    QueuePollInterval = options.QueuePollInterval,
                }));

        var host = builder.Configuration.GetHostOptions();
        if (host.RunsWorker)
        {
            var worker = builder.Configuration.GetSection("Socratic:Worker").Get<WorkerOptions>() ?? new WorkerOptions();
            builder.Services.AddHangfireServer(o =>
            {
                o.Queues = worker.Queues.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                o.WorkerCount = Math.Max(1, worker.Count);
                o.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}";
                o.CancellationCheckInterval = TimeSpan.FromSeconds(1);
            });
        }

        return builder;
    }

    public static WebApplicationBuilder AddSocraticLive(this WebApplicationBuilder builder)
    {
        var s = builder.Services;
        s.AddSingleton<PostgresLiveFeed>();
        s.AddSingleton<ILiveFeed>(sp => sp.GetRequiredService<PostgresLiveFeed>());
        s.AddHostedService(sp => sp.GetRequiredService<PostgresLiveFeed>());
        if (builder.Configuration.GetHostOptions().RunsWeb)
        {
            s.AddSingleton<LiveState>();
            s.AddHostedService<LiveRelay>();
            s.AddSignalR();
        }

        return builder;
    }
}
