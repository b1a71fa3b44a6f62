import { ApiProperty } from '@nestjs/swagger';
import { PageOf } from '../../core/http/page';
import type { Person } from '../person.entity';

export class PersonDto {
  @ApiProperty({ description: "The host's user id" }) id: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ type: String, nullable: true }) email: string | null;
  @ApiProperty({ description: 'Only active people can own records' }) active: boolean;
  @ApiProperty({ type: [Number], description: 'Teams the person belongs to' }) teamIds: number[];
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;

  static from(person: Person): PersonDto {
    return {
      id: person.id,
      displayName: person.displayName,
      email: person.email,
      active: person.active,
      teamIds: person.teamIds ?? [],
      createdAt: person.createdAt,
      updatedAt: person.updatedAt,
    };
  }
}

export class PersonPageDto extends PageOf(PersonDto) {}
