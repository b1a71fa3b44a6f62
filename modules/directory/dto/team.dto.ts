import { ApiProperty } from '@nestjs/swagger';
import { PageOf } from '../../core/http/page';
import type { Team } from '../team.entity';

export class TeamDto {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty() active: boolean;
  @ApiProperty({ type: [String], description: 'Ids of the people in the team' }) memberIds: string[];
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;

  static from(team: Team): TeamDto {
    return {
      id: team.id,
      name: team.name,
      active: team.active,
      memberIds: team.memberIds ?? [],
      createdAt: team.createdAt,
      updatedAt: team.updatedAt,
    };
  }
}

export class TeamPageDto extends PageOf(TeamDto) {}
