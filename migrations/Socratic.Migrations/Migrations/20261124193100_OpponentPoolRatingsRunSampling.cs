using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Socratic.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class OpponentPoolRatingsRunSampling : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<List<long>>(
                name: "OpponentPool",
                table: "Runs",
                type: "bigint[]",
                nullable: false,
                defaultValueSql: "'{}'");

            migrationBuilder.AddColumn<double>(
                name: "OpponentShare",
                table: "Runs",
                type: "double precision",
                nullable: false,
                defaultValue: 0.0);

            migrationBuilder.AddColumn<double>(
                name: "Temperature",
                table: "Runs",
                type: "double precision",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "PolicyRatings",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CampaignId = table.Column<long>(type: "bigint", nullable: false),
                    GenerationId = table.Column<long>(type: "bigint", nullable: false),
                    PolicyId = table.Column<long>(type: "bigint", nullable: false),
                    Rating = table.Column<double>(type: "double precision", nullable: false),
                    Games = table.Column<int>(type: "integer", nullable: false),
                    Wins = table.Column<int>(type: "integer", nullable: false),
                    Losses = table.Column<int>(type: "integer", nullable: false),
                    Draws = table.Column<int>(type: "integer", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PolicyRatings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PolicyRatings_Generations_GenerationId",
                        column: x => x.GenerationId,
                        principalTable: "Generations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_PolicyRatings_Policies_PolicyId",
                        column: x => x.PolicyId,
                        principalTable: "Policies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PolicyRatings_CampaignId_PolicyId",
                table: "PolicyRatings",
                columns: new[] { "CampaignId", "PolicyId" });

            migrationBuilder.CreateIndex(
                name: "IX_PolicyRatings_GenerationId_PolicyId",
                table: "PolicyRatings",
                columns: new[] { "GenerationId", "PolicyId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PolicyRatings_PolicyId",
                table: "PolicyRatings",
                column: "PolicyId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PolicyRatings");

            migrationBuilder.DropColumn(
                name: "OpponentPool",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "OpponentShare",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "Temperature",
                table: "Runs");
        }
    }
}
