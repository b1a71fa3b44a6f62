import { Body, Controller, Get, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import { IsString, MaxLength } from 'class-validator';
import { Repository } from 'typeorm';
import { Public } from '../auth/public.decorator';
import type { HostUser } from '../auth/host-users';
import { Note } from './note.entity';

export class CreateNoteDto {
  @IsString()
  @MaxLength(200)
  text: string;
}

/** The host's own routes: validated by its global ValidationPipe, guarded by its own guard. */
@ApiTags('Host notes')
@ApiUnauthorizedResponse({ description: 'No or unknown bearer token' })
@Controller()
export class NotesController {
  constructor(@InjectRepository(Note) private readonly notes: Repository<Note>) {}

  @Public()
  @ApiOperation({ summary: 'Health check' })
  @Get('health')
  health() {
    return { ok: true };
  }

  @ApiOperation({ summary: "The host's notes" })
  @Get('notes')
  list() {
    return this.notes.find({ order: { id: 'ASC' } });
  }

  @ApiOperation({ summary: 'Add a note' })
  @Post('notes')
  create(@Req() request: { user: HostUser }, @Body() body: CreateNoteDto) {
    return this.notes.save(this.notes.create({ text: body.text, authorId: request.user.userId }));
  }
}
