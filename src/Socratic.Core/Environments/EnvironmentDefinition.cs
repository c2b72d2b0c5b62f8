// A rule engine a game can be played in: it deals, says whose turn it is, shows each role only what that role
// may know, and rules on each move. Polymorphic on "kind" like task sources and scorers; each kind's
// parameters and checks live with its game (TicTacToe.cs, KuhnPoker.cs, …).
using System.Text.Json.Serialization;

namespace Socratic.Core.Environments;

[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(TicTacToeDefinition), "tictactoe")]
[JsonDerivedType(typeof(KuhnPokerDefinition), "kuhn_poker")]
[JsonDerivedType(typeof(NegotiationDefinition), "negotiation")]
[JsonDerivedType(typeof(TwentyQuestionsDefinition), "twenty_questions")]
public abstract record EnvironmentDefinition
{
    public const int MaxRetries = 3;

    /// <summary>
    /// Extra attempts a role gets after an unparseable or illegal move (it is shown why the move was rejected).
    /// When they are used up the role forfeits. 0 = the first bad move forfeits.
    /// </summary>
    public int Retries { get; init; } = 1;

    /// <summary>The environment's seats as (parameter name, role name), e.g. ("x", "alice"); every game role must have one.</summary>
    public abstract IReadOnlyList<(string Parameter, string Role)> Seats();

    /// <summary>Checks this kind's own parameters; <paramref name="error"/> takes a JSON path and a message.</summary>
    public abstract void ValidateParameters(Action<string, string> error);

    /// <summary>Sets up a fresh game for one episode; everything random comes from <paramref name="seed"/>.</summary>
    public abstract GameEnvironment Create(Tasks.GameTask task, ulong seed);

    /// <summary>
    /// The game as it stands after <paramref name="turns"/>: set up from (task, seed), then every stored reply ruled on
    /// again in order. Rules are pure, so this is exactly the state the episode had; a turn the rules did not expect
    /// (wrong role, or after the end) means the record does not belong to this game and throws.
    /// </summary>
    public GameEnvironment Replay(Tasks.GameTask task, ulong seed, IEnumerable<Engine.TurnRecord> turns)
    {
        ArgumentNullException.ThrowIfNull(turns);
        var environment = Create(task, seed);
        foreach (var turn in turns)
        {
            environment.Submit(turn.Index, turn.Role, turn.Text);
        }

        return environment;
    }
}
