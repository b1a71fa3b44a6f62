import { Body, Get, HttpCode, Patch, Post, Query, type Type } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import type { CrmCaller } from '../core/access/crm-caller';
import { Authorized, Caller } from '../core/access/crm-access.decorators';
import { AuditEntryPageDto } from '../core/audit/dto/audit-entry.dto';
import { ErrorResponseDto } from '../core/errors/error-response.dto';
import { CrmController } from '../core/http/crm-controller.decorator';
import { ScopedRecords } from '../core/visibility/record-scope.decorators';
import { PageQueryDto } from '../core/http/page';
import { IdParam } from '../core/http/id-param.decorator';
import { ApiBodyExample } from '../core/http/api-body-example';
import { CreateListEntryDto } from './dto/create-list-entry.dto';
import { ListEntryDto, ListEntryPageDto } from './dto/list-entry.dto';
import { ListEntryQueryDto } from './dto/list-entry-query.dto';
import { UpdateListEntryDto } from './dto/update-list-entry.dto';
import { ListEntriesService } from './list-entries.service';
import { LIST_KIND_ROUTES, LIST_KINDS, type ListKind } from './list-kind';

/** What Swagger UI offers to create, then to rename, in each list (none of them is on a fresh database). */
const EXAMPLES: Readonly<Record<ListKind, { create: CreateListEntryDto; update: UpdateListEntryDto }>> = {
  sales_direction: { create: { name: 'Commercial vehicles', code: 'commercial_vehicles', sequence: 20 }, update: { name: 'Light commercial vehicles' } },
  product: { create: { name: 'Electric van', code: 'electric_van' }, update: { name: 'Electric van (long range)' } },
  marketing_campaign: { create: { name: 'Spring promotion 2026', code: 'spring_2026' }, update: { name: 'Spring promotion 2026 (extended)' } },
  content_channel: { create: { name: 'Newsletter', code: 'newsletter' }, update: { name: 'Monthly newsletter' } },
};

/** The controller of one managed list, at its own path (`/crm/sales-directions`, ...), all backed by `ListEntriesService`. */
export function listEntriesController(kind: ListKind): Type {
  const { path, tag, label } = LIST_KIND_ROUTES[kind];
  const singular = label.toLowerCase();
  const plural = tag.toLowerCase();
  const NotFound = ApiNotFoundResponse({ type: ErrorResponseDto, description: `No ${singular} with this id` });
  const Conflict = ApiConflictResponse({ type: ErrorResponseDto, description: 'The name or code is already used in this list' });

  @CrmController(path, tag)
  @ScopedRecords('list-entry')
  class ListEntriesController {
    constructor(readonly entries: ListEntriesService) {}

    @Get()
    @Authorized('directory.read')
    @ApiOkResponse({ type: ListEntryPageDto })
    @ApiOperation({ summary: `List ${plural}` })
    list(@Caller() caller: CrmCaller, @Query() query: ListEntryQueryDto) {
      return this.entries.list(caller, kind, query);
    }

    @Get(':id')
    @Authorized('directory.read')
    @ApiOkResponse({ type: ListEntryDto })
    @NotFound
    @ApiOperation({ summary: `Get a ${singular}` })
    get(@Caller() caller: CrmCaller, @IdParam(`the ${singular}`) id: number) {
      return this.entries.get(caller, kind, id);
    }

    @Post()
    @Authorized('directory.write')
    @ApiCreatedResponse({ type: ListEntryDto })
    @Conflict
    @ApiOperation({ summary: `Create a ${singular}` })
    @ApiBodyExample(CreateListEntryDto, `A new ${singular}`, EXAMPLES[kind].create)
    create(@Caller() caller: CrmCaller, @Body() dto: CreateListEntryDto) {
      return this.entries.create(caller, kind, dto);
    }

    @Patch(':id')
    @Authorized('directory.write')
    @ApiOkResponse({ type: ListEntryDto })
    @NotFound
    @Conflict
    @ApiOperation({ summary: `Edit a ${singular}` })
    @ApiBodyExample(UpdateListEntryDto, `Rename the ${singular}`, EXAMPLES[kind].update)
    update(@Caller() caller: CrmCaller, @IdParam(`the ${singular}`) id: number, @Body() dto: UpdateListEntryDto) {
      return this.entries.update(caller, kind, id, dto);
    }

    @Post(':id/archive')
    @HttpCode(200)
    @Authorized('directory.write')
    @ApiOkResponse({ type: ListEntryDto, description: 'Archived: out of the pickers, kept by every record that has it' })
    @NotFound
    @ApiOperation({ summary: `Archive a ${singular}`, description: 'Removes it from the pickers; records that have it keep it.' })
    archive(@Caller() caller: CrmCaller, @IdParam(`the ${singular}`) id: number) {
      return this.entries.archive(caller, kind, id);
    }

    @Post(':id/restore')
    @HttpCode(200)
    @Authorized('directory.write')
    @ApiOkResponse({ type: ListEntryDto })
    @NotFound
    @ApiOperation({ summary: `Restore an archived ${singular}` })
    restore(@Caller() caller: CrmCaller, @IdParam(`the ${singular}`) id: number) {
      return this.entries.restore(caller, kind, id);
    }

    @Get(':id/history')
    @Authorized('directory.read')
    @ApiOkResponse({ type: AuditEntryPageDto })
    @NotFound
    @ApiOperation({ summary: `A ${singular}'s change history` })
    history(@Caller() caller: CrmCaller, @IdParam(`the ${singular}`) id: number, @Query() query: PageQueryDto) {
      return this.entries.history(caller, kind, id, query);
    }
  }

  // Swagger names operations after the class: one name per list keeps the operation ids unique.
  const className = `${path.replace(/(^|-)([a-z])/g, (_, _dash: string, c: string) => c.toUpperCase())}Controller`;
  Object.defineProperty(ListEntriesController, 'name', { value: className });
  return ListEntriesController;
}

/** One controller per managed list. */
export const LIST_ENTRY_CONTROLLERS: Type[] = LIST_KINDS.map(listEntriesController);
